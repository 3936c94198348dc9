package dev.smimepki.ca.issuance;

import java.util.List;

/**
 * One page of a certificate search, newest first.
 *
 * @param items the certificates of this page
 * @param page zero-based page index
 * @param size page size asked for
 * @param total matches over all pages
 */
public record CertificatePage(List<CertificateView> items, int page, int size, long total) {
}

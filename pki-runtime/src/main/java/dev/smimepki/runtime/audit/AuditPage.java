package dev.smimepki.runtime.audit;

import java.util.List;

/**
 * One page of the audit log, newest first.
 *
 * @param items the entries of this page
 * @param page zero-based page index
 * @param size page size asked for
 * @param total entries over all pages
 */
public record AuditPage(List<AuditEntry> items, int page, int size, long total) {
}

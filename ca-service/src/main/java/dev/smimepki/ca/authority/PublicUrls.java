package dev.smimepki.ca.authority;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

import dev.smimepki.ca.CaConfig;

/**
 * Where relying parties fetch revocation data and issuer certificates: the HTTP URLs written into certificates
 * (RFC 5280 sections 4.2.1.13 and 4.2.2.1), all under {@code pki.ca.public-base-url}.
 */
@ApplicationScoped
public class PublicUrls {
    private final String base;

    PublicUrls(CaConfig config) {
        String url = config.publicBaseUrl();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public String crl(UUID caId) {
        return base + "/crl/" + caId;
    }

    public String ocsp(UUID caId) {
        return base + "/ocsp/" + caId;
    }

    /** Serves the DER certificate by default, as RFC 5280 section 4.2.2.1 wants for caIssuers over HTTP. */
    public String caIssuers(UUID caId) {
        return base + "/api/v1/cas/" + caId + "/certificate";
    }

    /** The cRLDistributionPoints value: one full-name HTTP URI for the CRL of {@code caId}. */
    public CRLDistPoint crlDistributionPoints(UUID caId) {
        GeneralNames names = new GeneralNames(uri(crl(caId)));
        return new CRLDistPoint(new DistributionPoint[]{
                new DistributionPoint(new DistributionPointName(names), null, null)});
    }

    /** The authorityInfoAccess value: OCSP (when {@code withOcsp}) and caIssuers of {@code caId}. */
    public AuthorityInformationAccess authorityInformationAccess(UUID caId, boolean withOcsp) {
        AccessDescription caIssuers = new AccessDescription(AccessDescription.id_ad_caIssuers, uri(caIssuers(caId)));
        if (!withOcsp) {
            return new AuthorityInformationAccess(caIssuers);
        }
        return new AuthorityInformationAccess(new AccessDescription[]{
                new AccessDescription(AccessDescription.id_ad_ocsp, uri(ocsp(caId))), caIssuers});
    }

    private static GeneralName uri(String url) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, new DERIA5String(url));
    }
}

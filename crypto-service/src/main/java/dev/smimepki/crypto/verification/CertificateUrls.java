package dev.smimepki.crypto.verification;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

import dev.smimepki.core.cert.Certificate;

/**
 * The URLs a certificate names for its issuer's services, http and https only (see {@link RemoteFetch}); a broken
 * extension yields none rather than an error, since the report then says that nothing could be asked.
 */
final class CertificateUrls {
    private CertificateUrls() {
    }

    /** http(s) OCSP URLs of the authorityInformationAccess extension (RFC 5280 section 4.2.2.1). */
    static List<URI> ocsp(Certificate certificate) {
        return accessUrls(certificate, AccessDescription.id_ad_ocsp);
    }

    /** http(s) caIssuers URLs of the authorityInformationAccess extension. */
    static List<URI> caIssuers(Certificate certificate) {
        return accessUrls(certificate, AccessDescription.id_ad_caIssuers);
    }

    private static List<URI> accessUrls(Certificate certificate, ASN1ObjectIdentifier method) {
        Set<URI> urls = new LinkedHashSet<>();
        try {
            byte[] value = certificate.x509().getExtensionValue(Extension.authorityInfoAccess.getId());
            if (value == null) {
                return List.of();
            }
            AuthorityInformationAccess access = AuthorityInformationAccess.getInstance(
                    ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(value).getOctets()));
            for (AccessDescription description : access.getAccessDescriptions()) {
                if (method.equals(description.getAccessMethod())) {
                    uri(description.getAccessLocation()).ifPresent(urls::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return List.copyOf(urls);
    }

    /** http(s) full-name URLs of the cRLDistributionPoints extension (RFC 5280 section 4.2.1.13). */
    static List<URI> crl(Certificate certificate) {
        Set<URI> urls = new LinkedHashSet<>();
        try {
            byte[] value = certificate.x509().getExtensionValue(Extension.cRLDistributionPoints.getId());
            if (value == null) {
                return List.of();
            }
            CRLDistPoint points = CRLDistPoint.getInstance(ASN1Primitive.fromByteArray(
                    ASN1OctetString.getInstance(value).getOctets()));
            for (DistributionPoint point : points.getDistributionPoints()) {
                DistributionPointName name = point.getDistributionPoint();
                if (name == null || name.getType() != DistributionPointName.FULL_NAME || point.getCRLIssuer() != null) {
                    continue; // relative names and indirect CRLs are not followed
                }
                for (GeneralName general : GeneralNames.getInstance(name.getName()).getNames()) {
                    uri(general).ifPresent(urls::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return List.copyOf(urls);
    }

    private static Optional<URI> uri(GeneralName name) {
        if (name.getTagNo() != GeneralName.uniformResourceIdentifier) {
            return Optional.empty();
        }
        return RemoteFetch.httpUrl(((ASN1String) name.getName()).getString());
    }
}

package dev.smimepki.bench.driver;

/**
 * One measured figure: a scenario of the platform, a raw limit (JMH) or a comparison tool (openssl, slapd).
 *
 * @param id stable key, e.g. {@code issue-csr.ec-p256}
 * @param source {@code platform}, {@code limit}, {@code openssl} or {@code slapd}
 * @param label what a reader sees in the table
 * @param unit {@code ops/s} or {@code MB/s} (10^6 bytes)
 * @param throughput in {@code unit}
 * @param p50Ms latency percentiles per operation in milliseconds; NaN where not measured (JMH throughput)
 * @param ops successful operations measured
 * @param errors failed operations (each counted, none retried)
 * @param threads concurrent callers
 * @param peakRssMb peak resident set of the service process while measured, or NaN
 * @param note the first error or anything a reader should know
 * @param cpuMsPerOp CPU milliseconds per successful operation by part (services, postgres, kafka, driver); empty
 *        when not measured
 */
public record Figure(String id, String source, String label, String unit, double throughput, double p50Ms,
        double p95Ms, double p99Ms, long ops, long errors, int threads, double peakRssMb, String note,
        java.util.Map<String, Double> cpuMsPerOp) {

    public Figure(String id, String source, String label, String unit, double throughput, double p50Ms, double p95Ms,
            double p99Ms, long ops, long errors, int threads, double peakRssMb, String note) {
        this(id, source, label, unit, throughput, p50Ms, p95Ms, p99Ms, ops, errors, threads, peakRssMb, note,
                java.util.Map.of());
    }

    public static Figure limit(String id, String label, String unit, double throughput, String note) {
        return new Figure(id, "limit", label, unit, throughput, Double.NaN, Double.NaN, Double.NaN, 0, 0, 1,
                Double.NaN, note);
    }

    public Figure withPeakRss(double megabytes) {
        return new Figure(id, source, label, unit, throughput, p50Ms, p95Ms, p99Ms, ops, errors, threads, megabytes,
                note, cpuMsPerOp);
    }

    public Figure withNote(String text) {
        return new Figure(id, source, label, unit, throughput, p50Ms, p95Ms, p99Ms, ops, errors, threads,
                peakRssMb, text, cpuMsPerOp);
    }

    public Figure withCpu(java.util.Map<String, Double> perOperation) {
        return new Figure(id, source, label, unit, throughput, p50Ms, p95Ms, p99Ms, ops, errors, threads,
                peakRssMb, note, java.util.Map.copyOf(perOperation));
    }

    /** The same figure, measured by another tool (openssl, slapd). */
    public Figure from(String tool) {
        return new Figure(id, tool, label, unit, throughput, p50Ms, p95Ms, p99Ms, ops, errors, threads, peakRssMb,
                note, cpuMsPerOp);
    }
}

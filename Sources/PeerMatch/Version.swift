/// PeerMatch's version. Every comparison runs file records it, and `compare merge` refuses to mix
/// shards of different versions, so raise it whenever a change can alter a result or a metric.
public enum PeerMatchVersion {
    public static let current = "0.13.0"
}

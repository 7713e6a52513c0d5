/// PeerMatch's version, printed by `peermatch --version` and recorded by the store with each run.
public enum PeerMatchVersion {
    public static let current = "0.9.0"
}

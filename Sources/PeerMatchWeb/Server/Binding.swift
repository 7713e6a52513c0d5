import Foundation

/// Where the page listens, and which `Host` header values name it.
///
/// The page holds children's data, so it listens on the loopback address unless the co-ordinator
/// asks otherwise, and it answers only requests that name it by the address it was opened at: a
/// web page elsewhere that points its own domain name at 127.0.0.1 (DNS rebinding) sends its own
/// name in `Host` and is refused.
public struct Binding: Sendable, Hashable {
    /// The address or name the server binds, as given (`127.0.0.1`, `::1`, `192.168.1.20`).
    public var host: String
    /// The port; 0 asks the system for a free one (the real port is known once listening).
    public var port: Int

    public static let loopback = "127.0.0.1"

    public init(host: String = Binding.loopback, port: Int = 8470) {
        self.host = host; self.port = port
    }

    /// Whether the address is on the machine only (127.0.0.0/8, ::1, localhost).
    public var isLoopback: Bool { Self.isLoopback(host) }

    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        if h == "localhost" || h == "::1" || h == "[::1]" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Checks the host before binding. A wildcard address (`0.0.0.0`, `::`) is refused: it would
    /// listen on every network the machine joins, and there is no single name the Host check
    /// could hold requests to. Naming the one address people will type is both safer and checkable.
    public func validate() throws {
        let h = host.trimmingCharacters(in: .whitespaces)
        if h.isEmpty { throw ServeError("--host is empty; leave it out to listen on \(Self.loopback) only") }
        if ["0.0.0.0", "::", "[::]", "*"].contains(h) {
            throw ServeError("--host \(h) would listen on every network this machine is on; give the one address colleagues will open (for example --host 192.168.1.20), or leave --host out to keep the page on this machine")
        }
        if h.contains("/") || h.contains(" ") || h.contains("@") {
            throw ServeError("--host \(h) is not an address or a host name")
        }
        guard (0...65535).contains(port) else { throw ServeError("--port \(port) is not a port (0 to 65535; 0 picks a free one)") }
    }

    /// The name for the printed URL (IPv6 addresses in brackets).
    func urlHost(_ host: String) -> String { host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host }

    /// `Host` header values accepted once the server listens on `port`: the bound name with its
    /// port, and for a loopback bind also `localhost`, `127.0.0.1` and `[::1]` (names no other site
    /// can take), each with the port. Compared case-insensitively.
    func allowedHosts(port: Int) -> Set<String> {
        var names: Set<String> = [urlHost(host).lowercased()]
        if isLoopback { names.formUnion(["localhost", "127.0.0.1", "[::1]"]) }
        return Set(names.map { "\($0):\(port)" })
    }

    /// What the terminal says about who can reach the page.
    func exposureNote(port: Int) -> String {
        if isLoopback {
            return "Only this computer can open the page (it listens on \(host) port \(port))."
        }
        return """
        WARNING: listening on \(host) port \(port): anyone on that network who has the link below can \
        open the page and see the pupils' data. The traffic is not encrypted (plain http). \
        Leave --host out to keep the page on this computer.
        """
    }
}

/// A problem with how `serve` was asked to run (bad host, port in use); the CLI exits 1 with it.
public struct ServeError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

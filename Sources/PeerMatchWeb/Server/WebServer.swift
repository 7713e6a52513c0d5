import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import PeerMatchStore
import ServiceLifecycle

/// `peermatch serve`: opens the scheme workspace, listens, prints the one-time link.
public enum WebServer {
    public static let defaultPort = 8470
    /// Without `--port`, a busy default port moves to the next, up to this many tries.
    static let portTries = 10

    public struct Configuration: Sendable {
        public var schemePath: String
        public var binding: Binding
        /// Whether the port was left to the default (then a busy port moves on to the next).
        public var portIsDefault: Bool
        public var limits: Limits
        public init(schemePath: String, binding: Binding, portIsDefault: Bool = false, limits: Limits = Limits()) {
            self.schemePath = schemePath; self.binding = binding; self.portIsDefault = portIsDefault; self.limits = limits
        }
    }

    /// Runs the server until Ctrl-C (SIGINT) or SIGTERM. Blocks the calling thread; `say` gets the
    /// lines meant for the terminal.
    public static func runUntilStopped(_ config: Configuration, say: @escaping @Sendable (String) -> Void) throws {
        let box = ResultBox()
        let semaphore = DispatchSemaphore(value: 0)
        Task.detached {
            do { try await run(config, say: say) } catch { box.error = error }
            semaphore.signal()
        }
        semaphore.wait()
        if let e = box.error { throw e }
    }

    final class ResultBox: @unchecked Sendable { var error: (any Error)? }

    public static func run(_ config: Configuration, say: @escaping @Sendable (String) -> Void) async throws {
        try config.binding.validate()
        let site = try await makeSite(config)
        var binding = config.binding
        let tries = config.portIsDefault && binding.port != 0 ? portTries : 1
        for attempt in 0..<tries {
            if attempt > 0 { binding.port += 1 }
            if tries > 1 && !portIsFree(binding) { continue }
            let bound = binding
            let app = application(site: site, binding: bound) { port in
                site.listening(on: port)
                say(bound.exposureNote(port: port))
                say("Open this link in a browser on this computer (it works once):")
                say("  \(site.signInURL())")
                say("Press Enter here for a new link; Ctrl-C to stop.")
                LinkReader.start(site: site, say: say)
            }
            do {
                try await app.runService()
                return
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                if attempt + 1 < tries { continue }
                throw ServeError("port \(binding.port) is already in use (another `peermatch serve`?); pick one with --port N, or --port 0 for any free port")
            } catch let error as IOError where error.errnoCode == EADDRNOTAVAIL {
                throw ServeError("this computer has no address \(binding.host); use one of its own addresses, or leave --host out")
            }
        }
        throw ServeError("ports \(config.binding.port) to \(config.binding.port + tries - 1) are all in use; pick one with --port N, or --port 0 for any free port")
    }

    /// Opens the workspace and loads the page's templates and assets.
    public static func makeSite(_ config: Configuration) async throws -> Site {
        let store: SchemeStore
        let options = StoreOptions.fromEnvironment()
        do { store = try SchemeStore.open(at: config.schemePath, options: options) } catch let e as StoreError {
            throw ServeError(e.description)
        }
        let gate = Gate(defaultActor: Actor.login.name)
        let templates = try await Templates.bundled()
        let assets = try Assets.bundled()
        return try Site(store: store, gate: gate, binding: config.binding, limits: config.limits, templates: templates, assets: assets,
                          clock: options.clock)
    }

    /// The Hummingbird application: the security middleware in order, then the pages.
    public static func application(site: Site, binding: Binding, onListening: @escaping @Sendable (Int) -> Void = { _ in })
        -> some ApplicationProtocol {
        var logger = Logger(label: "peermatch-serve")
        logger.logLevel = .warning
        return Application(
            router: Routes.router(site: site),
            configuration: .init(address: .hostname(binding.host, port: binding.port), serverName: nil),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? binding.port) },
            logger: logger)
    }

    /// Whether nothing listens on the port yet (a bind-and-close probe, so the default port can
    /// move on before Hummingbird tries it).
    static func portIsFree(_ binding: Binding) -> Bool {
        let fd = socket(binding.host.contains(":") ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard let address = try? SocketAddress.makeAddressResolvingHost(binding.host, port: binding.port) else { return true }
        return address.withSockAddr { ptr, len in bind(fd, ptr, socklen_t(len)) == 0 }
    }
}

/// Reads Enter presses from the terminal and prints a fresh one-time link for each. Stops at the
/// end of input (no terminal, as under CI), so it never spins.
enum LinkReader {
    static func start(site: Site, say: @escaping @Sendable (String) -> Void) {
        let thread = Thread {
            while readLine(strippingNewline: true) != nil {
                say("New link (the earlier one no longer works):")
                say("  \(site.signInURL())")
            }
        }
        thread.start()
    }
}

/// A server started in the background of this process, for the tests and the benchmark: listens
/// on `binding` (port 0 picks a free one) until ``stop()``.
public final class RunningServer: Sendable {
    public let site: Site
    public let port: Int
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    public static func start(site: Site, binding: Binding) async throws -> RunningServer {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = WebServer.application(site: site, binding: binding) { port in
            site.listening(on: port)
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
        let task = Task {
            defer { continuation.finish() }   // a failed bind ends the wait below
            try await group.run()
        }
        var port: Int?
        for await p in stream { port = p }
        guard let port else {
            task.cancel()
            _ = try? await task.value
            throw ServeError("the server did not start on \(binding.host) port \(binding.port)")
        }
        return RunningServer(site: site, port: port, task: task, group: group)
    }

    private init(site: Site, port: Int, task: Task<Void, any Error>, group: ServiceGroup) {
        self.site = site; self.port = port; self.task = task; self.group = group
    }

    /// Stops accepting, lets requests in flight finish, and returns when the server has closed.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

import ArgumentParser
import Foundation
import PeerMatchWeb

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the co-ordinator's page for a scheme workspace in a browser on this computer.",
        discussion: """
        Prints a link with a one-time token; open it in a browser on this computer. The page listens on \
        127.0.0.1 only unless --host is given. Press Enter in this terminal for a new link; Ctrl-C stops.
        """)

    @Argument(help: "The scheme workspace (a .db file made by `peermatch scheme init`).") var scheme: String
    @Option(help: "Port to listen on (default 8470, or the next free one up to 8479; 0 picks any free port).") var port: Int?
    @Option(help: "Address to listen on (default 127.0.0.1: this computer only). Another address lets others on that network open the page.")
    var host: String = Binding.loopback
    @Option(name: .customLong("max-upload-mb"), help: "Largest upload accepted, in megabytes.") var maxUploadMB: Int = 20

    func validate() throws {
        guard (1...1024).contains(maxUploadMB) else { throw ValidationError("--max-upload-mb must be between 1 and 1024") }
    }

    func run() throws {
        let config = WebServer.Configuration(
            schemePath: scheme, binding: Binding(host: host, port: port ?? WebServer.defaultPort),
            portIsDefault: port == nil, limits: Limits(uploadBytes: maxUploadMB * 1_048_576))
        do {
            try WebServer.runUntilStopped(config) { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
        } catch let error as ServeError {
            warn("serve: \(error)")
            throw ExitCode(1)
        }
    }
}

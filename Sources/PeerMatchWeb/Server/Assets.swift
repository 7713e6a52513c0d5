import Foundation
import Hummingbird

/// The page's own styles, script and icon, read from the target's resources once at start and
/// served from memory. Nothing else is ever linked: no CDN, font or image from elsewhere.
public struct Assets: Sendable {
    struct File: Sendable { var type: String; var bytes: ByteBuffer }
    let files: [String: File]

    static let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]

    public static func bundled() throws -> Assets {
        guard let dir = Bundle.module.url(forResource: "Assets", withExtension: nil) else {
            throw ServeError("the page's styles and script are missing from the installation (PeerMatchWeb's Assets resource)")
        }
        var files: [String: File] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let ext = (name as NSString).pathExtension
            guard let type = types[ext] else { continue }
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            files[name] = File(type: type, bytes: ByteBuffer(bytes: data))
        }
        return Assets(files: files)
    }

    func response(_ name: String) throws -> Response {
        guard let f = files[name] else { throw PageError.notFound("The file /assets/\(name)") }
        return Response(status: .ok, headers: [.contentType: f.type], body: .init(byteBuffer: f.bytes))
    }
}

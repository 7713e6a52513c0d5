import CSV
import Foundation

/// Writes rows as RFC 4180 CSV text through CSV.swift.
public func csvText(header: [String], rows: [[String]]) -> String {
    let stream = OutputStream(toMemory: ())
    guard let writer = try? CSVWriter(stream: stream) else { return "" }
    try? writer.write(row: header)
    for row in rows { try? writer.write(row: row) }
    writer.stream.close()
    let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
    return (String(data: data, encoding: .utf8) ?? "") + "\n"
}

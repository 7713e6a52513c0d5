import Foundation

/// How a generated cohort was drawn, written at the top of every file `peermatch generate`
/// writes (`"generated": {"setting": "primary", "seed": "…", "mentees": 24, "mentors": 10}`) so
/// that the file carries its own provenance: `compare` reports setting, sizes and seed in every
/// runs row from it. Cohort readers ignore the key (extra fields are allowed).
public struct GeneratedMetadata: Sendable, Hashable {
    public var setting: String
    public var seed: UInt64
    public var mentees: Int
    public var mentors: Int

    public init(setting: String, seed: UInt64, mentees: Int, mentors: Int) {
        self.setting = setting; self.seed = seed; self.mentees = mentees; self.mentors = mentors
    }

    /// The metadata at the head of a cohort file's bytes, or nil when it has none. Reads only the
    /// `generated` object that `generate` puts first (a flat object), so a large file is not
    /// parsed twice; anything else (a hand-written file, the key further down) gives nil.
    public static func read(from data: Data) -> GeneratedMetadata? {
        let head = data.prefix(512)
        guard let text = String(data: head, encoding: .utf8) ?? String(data: head.dropLast(3), encoding: .utf8),
              let key = text.range(of: "\"generated\""),
              text[text.startIndex..<key.lowerBound].allSatisfy({ $0 == "{" || $0.isWhitespace }),
              let open = text[key.upperBound...].firstIndex(of: "{"),
              let close = text[open...].firstIndex(of: "}"),
              let value = try? JSONValue.parseJSON(Data(text[open...close].utf8), file: "generated") else { return nil }
        guard case .string(let setting)? = value["setting"], case .string(let seedText)? = value["seed"],
              let seed = UInt64(seedText), case .number(let mentees)? = value["mentees"],
              case .number(let mentors)? = value["mentors"] else { return nil }
        return GeneratedMetadata(setting: setting, seed: seed, mentees: Int(mentees), mentors: Int(mentors))
    }
}

extension CohortGenerator {
    /// The `generated` object: setting, seed (as a string: JSON numbers lose digits above 2^53),
    /// sizes, and the options that were fixed rather than drawn.
    public var metadataJSON: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("setting", .string(setting.rawValue)), ("seed", .string(String(seed))),
            ("mentees", .number(Double(mentees))), ("mentors", .number(Double(mentors))),
        ]
        if let genderMix { fields.append(("genderMix", .string(genderMix.rawValue))) }
        if let mentorPool { fields.append(("mentorPool", .string(mentorPool))) }
        if slots > 0 { fields += [("slots", .number(Double(slots))), ("rooms", .number(Double(max(1, rooms))))] }
        return .object(fields)
    }

    /// The cohort file `peermatch generate` writes for `cohort` (by default, this generator's
    /// cohort): the `generated` object, then the cohort as ``CohortWriter`` writes it.
    public func document(_ cohort: Cohort? = nil) -> String {
        guard case .object(let fields) = CohortWriter.json(cohort ?? generate()) else { return "" }
        return JSONValue.object([("generated", metadataJSON)] + fields).rendered()
    }
}

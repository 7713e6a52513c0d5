import Foundation

/// A programme of generated cohorts, one per organisation, like the national pilot (DOMAIN.md:
/// 41 primary, 41 secondary, 9 youth organisations, 5 special schools, 4 colleges).
public enum Programme {
    public struct Member: Sendable {
        /// File name inside the programme folder: `001-primary.json`.
        public var fileName: String
        public var generator: CohortGenerator
    }

    /// The pilot programme: by default its 100 cohorts; `cohorts` scales it to any number with
    /// the same mix of settings (each setting's share of the 100, largest remainders rounding, so
    /// 10,000 gives 4,100 primary, 4,100 secondary, 900 youth clubs, 500 special schools and 400
    /// colleges). Each cohort's size is drawn uniformly from its setting's `programmeMentees` range
    /// (mentors from `mentorsPerMentee`) and each gets its own seed, all from one generator seeded
    /// with `seed`: same seed and count, same programme; the first cohorts of a larger programme
    /// are not those of a smaller one. File names are numbered with as many digits as the count
    /// has, at least 3 (`001-primary.json` for 100, `00001-primary.json` for 10,000), so they sort.
    public static func pilot(seed: UInt64, cohorts: Int = 100) -> [Member] {
        var rng = SeededRandom(seed: seed)
        var members: [Member] = []
        members.reserveCapacity(cohorts)
        let width = max(3, String(cohorts).count)
        for (setting, count) in scaledCounts(cohorts) {
            let profile = GeneratorSettings.profile(setting)
            for _ in 0..<count {
                let mentees = rng.int(in: profile.programmeMentees)
                let cohortSeed = rng.next()
                let number = String(members.count + 1)
                let name = String(repeating: "0", count: max(0, width - number.count)) + number + "-\(setting.rawValue).json"
                members.append(Member(fileName: name, generator: CohortGenerator(setting: setting, mentees: mentees, seed: cohortSeed)))
            }
        }
        return members
    }

    /// The pilot's settings scaled to `cohorts` in all: each setting gets ⌊share × cohorts⌋, and
    /// the cohorts left over go to the largest remainders (ties to the setting listed first).
    static func scaledCounts(_ cohorts: Int) -> [(setting: CohortGenerator.Setting, count: Int)] {
        let base = GeneratorSettings.pilotProgramme
        let total = base.reduce(0) { $0 + $1.count }
        var counts = base.map { $0.count * cohorts / total }
        let remainders = base.indices.map { (base[$0].count * cohorts) % total }
        let order = base.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        for k in 0..<(cohorts - counts.reduce(0, +)) { counts[order[k % order.count]] += 1 }
        return base.indices.map { (base[$0].setting, counts[$0]) }
    }
}

extension GeneratorSettings {
    /// The settings table as Markdown: the text of `Sources/PeerMatch/Generate/DISTRIBUTIONS.md`
    /// and of `peermatch generate --describe`.
    public static func markdown() -> String {
        var out = """
        # Generated cohorts: every distribution

        `peermatch generate` draws every cohort from the numbers below. This file is rendered from the
        generator's settings table (`GeneratorSettings.table` in `GeneratorSettings.swift`) by
        `peermatch generate --describe`; a test fails when the two differ. Sources: `DOMAIN.md` and the
        pilot evaluation it cites.

        ## Shared by every setting

        - **Draw order.** One SplitMix64 generator seeded with `--seed`: first the cohort's mentor pool
          and gender mix, then the mentors one by one, the mentees one by one, friendship groups,
          exclusions and ranked lists. Same setting, sizes and seed: the same file, byte for byte.
        - **Ages.** In school settings a pupil in Year N is aged N + 4 + U[0, 1), rounded to 0.1, and
          has `yearGroup` N. Elsewhere ages are uniform in the range shown, rounded to 0.1, with no year group.
        - **Mentors.** round(mentees × mentors per mentee), at least 1, unless `--mentors` is given.
        - **Interests.** A number of interests uniform in the setting's range, drawn without
          replacement with popularity 1 / (rank + 1)^\(formatNumber(zipfExponent)) (rank 0 most popular) from
          the setting's list, in this order:
          - young: \(InterestList.young.items.joined(separator: ", ")).
          - adult: \(InterestList.adult.items.joined(separator: ", ")).
        - **Needs and offers.** Uniform without replacement from the setting's help list:
          - school: \(HelpList.school.items.joined(separator: ", ")).
          - leaving-care: \(HelpList.leavingCare.items.joined(separator: ", ")).
          - housing: \(HelpList.housing.items.joined(separator: ", ")).
        - **Gender mixes** (one per cohort, shares of mentors / of mentees):

        | mix | mentors | mentees |
        |---|---|---|

        """
        for name in GenderMix.Name.allCases {
            let mix = GenderMix.named(name)
            out += "| \(name.rawValue) | \(mix.mentors.describe { $0 }) | \(mix.mentees.describe { $0 }) |\n"
        }
        out += """

        - **Groups.** `group` is the person's friendship group (`friends-N`) when they are in one, else
          their tutor group (`7C`: year and a letter, uniform over the setting's forms per year), else none.
          Friendship groups: each person joins with the setting's share; those who join are shuffled
          together (mentors and mentees alike) and cut into groups of uniform size.
        - **Staff-supported mentors.** Mentors chosen and supported by staff have the qualification
          `\(CohortGenerator.staffSupported)`; mentees with more serious issues require it.
        - **Exclusions.** Each mentor, with the setting's chance, names one mentee (uniform) they would
          not feel comfortable working with; each mentee, with the setting's chance, has a staff
          concern with one mentor (uniform). Repeated pairs are kept once.
        - **Ranked lists** (`preferences[]`). A person who ranks looks at up to \(listCandidates) people of
          the other side (uniform) and ranks a uniform number of them, drawn without replacement with
          weight (1 + shared interests)^\(formatNumber(listInterestExponent)). With the tie chance, the 2nd and 3rd
          choices become one tie group.
        - **Pilot programme** (`--programme pilot`): \(pilotProgramme.map { "\($0.count) \($0.setting.rawValue)" }.joined(separator: ", ")),
          files `001-primary.json` onwards; each cohort's mentees uniform in the setting's programme
          range and its own seed, all drawn from `--seed`. `--cohorts N` scales the programme to N
          cohorts with the same mix (each setting's share of the 100, largest remainders rounding).
        - **Provenance.** Every generated file starts with a `generated` object: setting, seed (a
          string, so no digit is lost), mentees, mentors, and any option that was fixed rather than
          drawn. Cohort readers ignore it; `compare` reports it in every runs row.

        """
        for p in table {
            func range(_ r: ClosedRange<Int>) -> String { "\(r.lowerBound)–\(r.upperBound) (uniform)" }
            let rows: [(String, String)] = [
                ("mentees", p.menteeAges.describe()),
                ("mentors (pool drawn per cohort)", p.mentorPools.options.indices.map { k in
                    let pool = p.mentorPools.options[k]
                    let share = p.mentorPools.options.count > 1 ? " — \(percent(p.mentorPools.share(k))) of cohorts" : ""
                    return "\(pool.name)\(share): \(pool.ages.describe())"
                }.joined(separator: "; ")),
                ("mentors per mentee", formatNumber(p.mentorsPerMentee)),
                ("capacity", p.capacity.describe(String.init) + "; median \(p.capacity.median), mean \(formatNumber((p.capacity.mean * 100).rounded() / 100))"),
                ("gender mix (per cohort)", p.genderMixes.describe(\.rawValue)),
                ("wants the same gender", "mentees \(percent(p.sameGenderWish.mentee)), mentors \(percent(p.sameGenderWish.mentor))"),
                ("interests", "\(range(p.interestsPerPerson)) from the \(p.interestList.rawValue) list"),
                ("needs / offers", "needs \(range(p.needsPerMentee)), offers \(range(p.offersPerMentor)) from the \(p.helpList.rawValue) list"),
                ("staff-supported", "mentors \(percent(p.staffSupportedMentors)); mentees requiring it \(percent(p.menteesNeedingStaffSupport))"),
                ("priority 1", "\(percent(p.priorityShare)) of mentees"),
                ("tutor groups per year", p.tutorGroupsPerYear.map(String.init) ?? "none"),
                ("friendship groups", "\(percent(p.friendshipShare)) of people, groups of \(range(p.friendshipGroupSize))"),
                ("exclusions", "mentor names one: \(percent(p.mentorExclusionChance)); staff concern per mentee: \(percent(p.menteeExclusionChance))"),
                ("ranked lists", "mentees \(percent(p.menteeListShare)) rank \(range(p.menteeListLength)); mentors \(percent(p.mentorListShare)) rank \(range(p.mentorListLength)); tie \(percent(p.tieChance))"),
                ("pilot programme mentees", range(p.programmeMentees)),
            ]
            out += "\n## `\(p.setting.rawValue)`\n\n\(p.summary)\n\n| quantity | distribution |\n|---|---|\n"
            for (k, v) in rows { out += "| \(k) | \(v) |\n" }
        }
        return out + timetableMarkdown()
    }
}

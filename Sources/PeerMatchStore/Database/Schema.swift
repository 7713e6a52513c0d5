import GRDB

/// The store's tables, as versioned migrations. A migration, once released, is never edited: a
/// change of schema is a new migration at the end, so a file written by any earlier version opens
/// and upgrades (`Tests/PeerMatchStoreTests/Fixtures/scheme-v1.peermatch` is a file made by the
/// first schema's code; a test opens it with this one).
///
/// Conventions: dates are ISO text (`2026-09-07`), instants ISO 8601 in UTC
/// (`2026-09-07T08:30:00Z`); lists and small structures are compact JSON text; person ids are the
/// ids the co-ordinator's spreadsheets use. Nothing is ever deleted: rows change state
/// (`pair.state`, `person_version.superseded_at`, `session_record.superseded_by`).
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1", migrate: v1)
        m.registerMigration("v2", migrate: v2)
        return m
    }

    /// The latest schema version this program writes (the number of migrations).
    static var version: Int { migrator.migrations.count }

    /// The first released schema: the scheme and its terms, people per term, imports, exclusions,
    /// match runs, pairs and their life cycle, withdrawals, session records and the audit log.
    static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE scheme (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                name TEXT NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL,
                -- Increases with every write: stale plans and page caches compare it.
                revision INTEGER NOT NULL DEFAULT 0
            );

            -- One row per write operation: when, who, what, why.
            CREATE TABLE audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                term_id TEXT,
                subject TEXT NOT NULL DEFAULT '',
                detail TEXT NOT NULL DEFAULT '',
                why TEXT,
                revision INTEGER NOT NULL
            );

            CREATE TABLE term (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                start_date TEXT NOT NULL,
                end_date TEXT NOT NULL,
                -- The cohort file's timetable keys: slots, rooms, term, format (JSON object).
                setup TEXT NOT NULL,
                -- The policy as YAML text, and where it came from (a preset name or a file name).
                policy_text TEXT NOT NULL,
                policy_source TEXT NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL
            );

            -- A person across terms: the id is the one the spreadsheets use.
            CREATE TABLE person (
                id TEXT PRIMARY KEY,
                first_term TEXT NOT NULL REFERENCES term(id),
                created_at TEXT NOT NULL
            );

            CREATE TABLE import_batch (
                id INTEGER PRIMARY KEY,
                term_id TEXT NOT NULL REFERENCES term(id),
                at TEXT NOT NULL,
                by TEXT NOT NULL,
                files TEXT NOT NULL,
                summary TEXT NOT NULL
            );

            -- A person's attributes in one term (a pupil moves up a year): the cohort file's person
            -- object. A later import of the same term supersedes the row.
            CREATE TABLE person_version (
                id INTEGER PRIMARY KEY,
                term_id TEXT NOT NULL REFERENCES term(id),
                person_id TEXT NOT NULL REFERENCES person(id),
                role TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
                name TEXT NOT NULL,
                data TEXT NOT NULL,
                import_id INTEGER REFERENCES import_batch(id),
                created_at TEXT NOT NULL,
                superseded_at TEXT
            );
            CREATE UNIQUE INDEX person_version_current ON person_version(term_id, person_id) WHERE superseded_at IS NULL;
            CREATE INDEX person_version_person ON person_version(person_id);

            -- Never pair these two, anywhere in the scheme: from an import, a declined proposal,
            -- or an ending with "do not pair again".
            CREATE TABLE exclusion (
                id INTEGER PRIMARY KEY,
                a TEXT NOT NULL,
                b TEXT NOT NULL,
                reason TEXT,
                source TEXT NOT NULL CHECK (source IN ('import', 'declined', 'ended', 'manual')),
                term_id TEXT REFERENCES term(id),
                pair_id INTEGER,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL
            );
            CREATE INDEX exclusion_a ON exclusion(a);
            CREATE INDEX exclusion_b ON exclusion(b);

            CREATE TABLE match_run (
                id INTEGER PRIMARY KEY,
                term_id TEXT NOT NULL REFERENCES term(id),
                kind TEXT NOT NULL CHECK (kind IN ('match', 'withdrawal', 'swap')),
                at TEXT NOT NULL,
                by TEXT NOT NULL,
                policy_text TEXT NOT NULL,
                solver TEXT NOT NULL,
                status TEXT NOT NULL,
                matched INTEGER NOT NULL,
                mentors INTEGER NOT NULL,
                mentees INTEGER NOT NULL,
                score_h INTEGER NOT NULL,
                -- unmatched (with reasons), shortfalls, notes, fallback reason, diagnosis, changes.
                result TEXT NOT NULL
            );
            CREATE INDEX match_run_term ON match_run(term_id, id);

            CREATE TABLE pair (
                id INTEGER PRIMARY KEY,
                term_id TEXT NOT NULL REFERENCES term(id),
                mentor_id TEXT NOT NULL REFERENCES person(id),
                mentee_id TEXT NOT NULL REFERENCES person(id),
                state TEXT NOT NULL CHECK (state IN ('proposed', 'approved', 'active', 'ended', 'declined', 'superseded')),
                locked INTEGER NOT NULL DEFAULT 0,
                score_h INTEGER,
                reasons TEXT NOT NULL DEFAULT '[]',
                -- Weekly sessions [{slot, room}] and every session date of the term.
                sessions TEXT NOT NULL DEFAULT '[]',
                dates TEXT NOT NULL DEFAULT '[]',
                run_id INTEGER REFERENCES match_run(id),
                source TEXT NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL,
                state_at TEXT NOT NULL,
                state_by TEXT NOT NULL,
                end_date TEXT,
                end_reason TEXT,
                note TEXT,
                no_repeat INTEGER NOT NULL DEFAULT 0
            );
            CREATE UNIQUE INDEX pair_live ON pair(term_id, mentor_id, mentee_id) WHERE state <> 'superseded';
            CREATE INDEX pair_term_state ON pair(term_id, state);
            CREATE INDEX pair_mentee ON pair(mentee_id);
            CREATE INDEX pair_mentor ON pair(mentor_id);

            -- Every change of a pair's state or lock, for the pair's own history.
            CREATE TABLE pair_event (
                id INTEGER PRIMARY KEY,
                pair_id INTEGER NOT NULL REFERENCES pair(id),
                at TEXT NOT NULL,
                by TEXT NOT NULL,
                event TEXT NOT NULL,
                from_state TEXT,
                to_state TEXT,
                note TEXT
            );
            CREATE INDEX pair_event_pair ON pair_event(pair_id);

            CREATE TABLE withdrawal (
                id INTEGER PRIMARY KEY,
                term_id TEXT NOT NULL REFERENCES term(id),
                person_id TEXT NOT NULL REFERENCES person(id),
                date TEXT NOT NULL,
                reason TEXT NOT NULL,
                note TEXT,
                run_id INTEGER REFERENCES match_run(id),
                at TEXT NOT NULL,
                by TEXT NOT NULL
            );
            CREATE INDEX withdrawal_term ON withdrawal(term_id, person_id);

            -- What happened at one session of one pair. A correction is a new row; the old one
            -- points at it (superseded_by).
            CREATE TABLE session_record (
                id INTEGER PRIMARY KEY,
                term_id TEXT NOT NULL REFERENCES term(id),
                pair_id INTEGER NOT NULL REFERENCES pair(id),
                date TEXT NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('held', 'missed-by-mentee', 'missed-by-mentor', 'cancelled', 'closure')),
                minutes INTEGER,
                note TEXT,
                source TEXT NOT NULL,
                at TEXT NOT NULL,
                by TEXT NOT NULL,
                superseded_by INTEGER REFERENCES session_record(id)
            );
            CREATE INDEX session_record_pair ON session_record(pair_id, date);
            CREATE INDEX session_record_term ON session_record(term_id, date);
            """)
    }

    /// Outcome measures and scores, mentors' agreed hours, and staged imports (drafts the page and
    /// the command line share).
    static func v2(_ db: Database) throws {
        try db.execute(sql: """
            -- A measure scored per person before and after (SWEMWBS: 7 items scored 1-5, raw total 7-35).
            CREATE TABLE outcome_measure (
                name TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                items INTEGER NOT NULL CHECK (items >= 1),
                item_min INTEGER NOT NULL,
                item_max INTEGER NOT NULL,
                -- Whether a higher total is better (for the report's wording).
                higher_is_better INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL
            );
            INSERT INTO outcome_measure (name, title, items, item_min, item_max, higher_is_better, created_at, created_by)
            VALUES ('swemwbs', 'Short Warwick-Edinburgh Mental Wellbeing Scale (raw total)', 7, 1, 5, 1, '2026-01-01T00:00:00Z', 'peermatch');

            CREATE TABLE outcome (
                id INTEGER PRIMARY KEY,
                term_id TEXT NOT NULL REFERENCES term(id),
                person_id TEXT NOT NULL REFERENCES person(id),
                measure TEXT NOT NULL REFERENCES outcome_measure(name),
                phase TEXT NOT NULL CHECK (phase IN ('pre', 'post')),
                date TEXT NOT NULL,
                items TEXT NOT NULL,
                total REAL NOT NULL,
                note TEXT,
                source TEXT NOT NULL,
                at TEXT NOT NULL,
                by TEXT NOT NULL,
                superseded_by INTEGER REFERENCES outcome(id)
            );
            CREATE INDEX outcome_term ON outcome(term_id, measure, person_id);

            -- A mentor's agreed time a week in a term; a later agreement supersedes.
            CREATE TABLE mentor_hours (
                id INTEGER PRIMARY KEY,
                term_id TEXT NOT NULL REFERENCES term(id),
                person_id TEXT NOT NULL REFERENCES person(id),
                minutes_per_week INTEGER NOT NULL CHECK (minutes_per_week >= 0),
                at TEXT NOT NULL,
                by TEXT NOT NULL,
                superseded_at TEXT
            );
            CREATE UNIQUE INDEX mentor_hours_current ON mentor_hours(term_id, person_id) WHERE superseded_at IS NULL;

            -- A staged import: the files as given, the column choices and cell edits made since, and
            -- what the checks found. Committed or abandoned drafts are kept.
            CREATE TABLE import_draft (
                id INTEGER PRIMARY KEY,
                term_id TEXT NOT NULL REFERENCES term(id),
                state TEXT NOT NULL CHECK (state IN ('open', 'committed', 'abandoned')),
                options TEXT NOT NULL,
                columns TEXT NOT NULL DEFAULT '{}',
                edits TEXT NOT NULL DEFAULT '[]',
                import_id INTEGER REFERENCES import_batch(id),
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL
            );
            CREATE TABLE import_draft_file (
                draft_id INTEGER NOT NULL REFERENCES import_draft(id),
                role TEXT NOT NULL CHECK (role IN ('mentors', 'mentees', 'exclusions', 'locked')),
                name TEXT NOT NULL,
                data BLOB NOT NULL,
                added_at TEXT NOT NULL,
                superseded_at TEXT
            );
            CREATE INDEX import_draft_file_draft ON import_draft_file(draft_id, role);
            """)
    }
}

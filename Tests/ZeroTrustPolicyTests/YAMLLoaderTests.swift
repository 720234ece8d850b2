import Foundation
import Testing
import ZeroTrustPolicy
import Yams

@Suite struct YAMLLoaderTests {
    func problems(_ yaml: String) -> [PolicyError.Problem] {
        do {
            _ = try PolicyLoader.load(yaml: yaml)
            Issue.record("expected the file to be rejected")
            return []
        } catch {
            #expect(error.code == .invalidPolicy)
            #expect(error.line == error.problems.first?.line)
            return error.problems
        }
    }

    @Test func loadsTheSeedFile() throws {
        let set = try Fixtures.seedSet()
        #expect(set.version == 1)
        #expect(set.defaults == PolicyDefaults(ttl: 3600, timeZone: "UTC"))
        #expect(set.policies.map(\.id) == ["data_scientist_training", "production_model_deployment", "block_quarantined_models"])
        #expect(set.timeWindows["business_hours"] == TimeWindow.businessHours)
        let deploy = set.policies[1]
        #expect(deploy.subjects == SubjectMatcher(roles: [.mlopsEngineer], approvals: [.securityTeam]))
        #expect(deploy.conditions == [.mfaRequired(true), .auditLogged(true)])
        #expect(set.policies[2].effect == .deny)
        #expect(set.policies[2].resources == [ResourceMatcher(.model, ["quarantined": "true"])])
        #expect(set.policies[0].conditions == [.ipRange([try CIDR("10.0.0.0/8")]), .timeWindow("business_hours")])
    }

    @Test func reportsEveryProblemWithLineAndColumn() throws {
        let found = problems(try Fixtures.text("invalid-policies.yaml"))
        let summary = found.map { "\($0.line ?? 0):\($0.column ?? 0) \($0.code.rawValue)" }
        #expect(summary == [
            "3:8 invalid_value",          // ttl: -5
            "4:13 unknown_timezone",      // Mars/Olympus
            "7:17 invalid_day",           // funday
            "8:12 invalid_time",          // 25:00
            "13:10 invalid_time",         // late ends before it starts
            "20:14 empty_actions",        // actions: []
            "22:19 invalid_cidr",         // /33
            "23:22 unknown_time_window",  // lunch
            "24:9 unknown_condition",     // geo_fence
            "25:9 duplicate_id",          // second 'a'
            "26:5 unknown_key",           // colour
            "27:15 type_mismatch",        // subjects: role
            "32:23 type_mismatch",        // mfa_required: "yes"
            "33:10 type_mismatch",        // ttl: ten
            "34:5 missing_field",         // no id
            "34:13 invalid_value",        // effect: maybe
            "37:16 empty_resources",      // resources: []
        ])
        #expect(found.first { $0.code == .unknownTimeWindow }?.message.contains("'lunch'") == true)
        #expect(found.first { $0.code == .invalidCIDR }?.message.contains("10.0.0.0/33") == true)
        #expect(found.first { $0.code == .unknownKey }?.message.contains("'colour'") == true)
    }

    @Test func syntaxErrorsCarryTheirPosition() {
        let found = problems("policies:\n  - id: a\n    actions: [read_data\n")
        #expect(found.count == 1)
        #expect(found.first?.code == .syntaxError)
        #expect(found.first?.line == 4)
    }

    @Test func duplicateKeysAreRejected() {
        let found = problems("policies: []\npolicies: []\n")
        #expect(found.map(\.code) == [.duplicateKey])
        #expect(found.first?.line == 1)
    }

    @Test func missingPoliciesAndUnknownTopLevelKeysAreRejected() {
        #expect(problems("version: 1\n").map(\.code) == [.missingField])
        #expect(problems("").map(\.code) == [.missingField])
        #expect(problems("policies: []\nrules: []\n").map(\.code) == [.unknownKey])
        #expect(problems("version: 2\npolicies: []\n").map(\.code) == [.unsupportedVersion])
        #expect(problems("- a\n").map(\.code) == [.typeMismatch])
    }

    @Test func conditionEntriesMustHaveExactlyOneKey() {
        let yaml = """
            policies:
              - id: a
                subjects: [{role: r}]
                resources: [{type: t}]
                actions: [x]
                conditions:
                  - {mfa_required: true, audit_logged: true}
            """
        #expect(problems(yaml).map(\.code) == [.invalidValue])
    }

    @Test func missingRequiredPolicyFieldsAreReported() {
        let found = problems("policies:\n  - id: a\n")
        #expect(found.map(\.code) == [.missingField, .missingField, .missingField])
        #expect(found.allSatisfy { $0.line == 2 })
    }

    @Test func acceptsScalarVariants() throws {
        let yaml = """
            policies:
              - id: "p"
                effect: permit
                description: "multi-value ranges"
                subjects: [{role: r}]
                resources: [{type: t, level: 3, flag: true}]
                actions: [x]
                conditions:
                  - ip_range: [10.0.0.0/8, "2001:db8::/32"]
                  - time_window: business_hours
                ttl: 60
            """
        let set = try PolicyLoader.load(yaml: yaml)
        #expect(set.policies[0].resources[0].attributes == ["level": "3", "flag": "true"])
        #expect(set.policies[0].conditions.first == .ipRange([try CIDR("10.0.0.0/8"), try CIDR("2001:db8::/32")]))
        #expect(set.policies[0].ttl == 60)
        #expect(set.policies[0].description == "multi-value ranges")
    }

    @Test func unquotedTimesAreReadAsWritten() throws {
        // `17:00` unquoted is a YAML 1.1 sexagesimal integer; the loader uses the text as written.
        let yaml = """
            time_windows:
              late: {days: [sat, sun], start: 09:30, end: 17:00, timezone: Europe/Berlin}
            policies: []
            """
        let window = try #require(try PolicyLoader.load(yaml: yaml).timeWindows["late"])
        #expect(window.start.description == "09:30")
        #expect(window.end.minutes == 17 * 60)
        #expect(window.days == [.saturday, .sunday])
        #expect(window.timeZone == "Europe/Berlin")
    }

    @Test func unreadableFileIsItsOwnError() {
        #expect {
            _ = try PolicyLoader.load(contentsOf: URL(fileURLWithPath: "/nonexistent/policies.yaml"))
        } throws: { ($0 as? PolicyError)?.code == .unreadableFile }
    }

    @Test func writerRoundTrips() throws {
        let seed = try Fixtures.seedSet()
        let text = PolicyWriter.yaml(for: seed)
        let again = try PolicyLoader.load(yaml: text)
        #expect(again == seed)
        #expect(PolicyWriter.yaml(for: again) == text)

        let tricky = PolicySet(
            defaults: PolicyDefaults(ttl: 120, timeZone: "Europe/Paris"),
            timeWindows: ["weird \"name\"": TimeWindow(name: "weird \"name\"", days: [.sunday, .monday], start: TimeOfDay(clampedMinutes: 0),
                                                       end: TimeOfDay(clampedMinutes: 1440), timeZone: "America/New_York")],
            policies: [Policy(id: "id: with colon", effect: .deny, description: "line1\nline2 \\ \"q\" #hash",
                              subjects: .init(roles: [.any, "yes"], approvals: ["null", "true"]),
                              resources: [ResourceMatcher(.any, ["k": "012", "*": "~"])], actions: [.any, "on"],
                              conditions: [.ipRange([try CIDR("::/0"), try CIDR("10.0.0.0/8")]), .timeWindow("weird \"name\""),
                                           .mfaRequired(false), .auditLogged(true)], ttl: 5)]
        )
        #expect(try PolicyLoader.load(yaml: PolicyWriter.yaml(for: tricky)) == tricky)
    }

    @Test func contentHashIsStableAndContentSensitive() throws {
        let seed = try Fixtures.seedSet()
        // Pinned: the canonical form and FNV-1a 64 must not drift between runs or releases.
        #expect(seed.contentHash == "fnv1a64:172284447378e311")
        #expect(ContentHash.fnv1a64("") == "fnv1a64:cbf29ce484222325")
        #expect(ContentHash.fnv1a64("a") == "fnv1a64:af63dc4c8601ec8c")
        var changed = seed
        changed.policies[0].ttl = 10
        #expect(changed.contentHash != seed.contentHash)
    }
}

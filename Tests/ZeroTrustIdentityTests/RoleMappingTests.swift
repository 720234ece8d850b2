import Foundation
import Testing
@testable import ZeroTrustIdentity

@Suite("RoleMapping")
struct RoleMappingTests {
    static let yaml = """
        rules:
          - roles: [ml-engineer]
            match:
              spiffeID: "spiffe://corp.example/ml/*"
          - roles: [trainer-admin, ml-engineer]
            match:
              spiffeID: "spiffe://corp.example/ml/trainer"
          - roles: [auditor]
            match:
              organization: Corp
              organizationalUnit: Audit
          - roles: [named]
            match:
              commonName: "*"
              organization: Corp
        """

    func identity(cn: String?, ou: [String] = [], spiffe: String? = nil) throws -> ClientIdentity {
        var request = DevelopmentCA.LeafRequest(commonName: cn ?? "")
        request.organizations = ["Corp"]
        request.organizationalUnits = ou
        if let spiffe { request.spiffeID = try SPIFFEID(parsing: spiffe) }
        let issued = try sharedCA.issue(request, now: t0)
        return try ClientIdentity(chain: try verifier().verify(issued.certificate, intermediates: issued.intermediates))
    }

    @Test("roles are the sorted union of every matching rule")
    func matching() throws {
        let mapping = try RoleMapping(yaml: Self.yaml)
        #expect(mapping.rules.count == 4)
        #expect(mapping.roles(for: try identity(cn: "t", spiffe: "spiffe://corp.example/ml/trainer")) == ["ml-engineer", "named", "trainer-admin"])
        #expect(mapping.roles(for: try identity(cn: "n", spiffe: "spiffe://corp.example/ml/a/b")) == ["ml-engineer", "named"])
        // "/ml/*" needs at least one segment below /ml, and the same trust domain.
        #expect(mapping.roles(for: try identity(cn: "m", spiffe: "spiffe://corp.example/ml")) == ["named"])
        #expect(mapping.roles(for: try identity(cn: "x", spiffe: "spiffe://corp.example/mlx/a")) == ["named"])
        #expect(mapping.roles(for: try identity(cn: "o", spiffe: "spiffe://other.example/ml/a")) == ["named"])
        #expect(mapping.roles(for: try identity(cn: "a", ou: ["Audit"])) == ["auditor", "named"])
        // Without a CN the "*" condition fails; an unmatched identity gets no roles.
        #expect(mapping.roles(for: try identity(cn: nil, spiffe: "spiffe://other.example/x")) == [])
    }

    @Test("invalid documents fail with the line", arguments: [
        ("rules:\n  - roles: [a]\n    match: {}\n", "no condition"),
        ("rules:\n  - roles: []\n    match: {commonName: x}\n", "at least one"),
        ("rules:\n  - roles: [a]\n    match:\n      comonName: x\n", "line 4"),
        ("rules:\n  - roles: [a]\n    match: {spiffeID: \"spiffe://corp.example/a/\"}\n", "line 2"),
        ("rules:\n  - roles: [a]\n", "match"),
        ("rulez: []\n", "unknown key"),
        ("rules: {}\n", "list"),
        ("rules: [\n", "YAML"),
        ("- a\n", "mapping"),
    ])
    func invalid(_ yaml: String, _ fragment: String) {
        let error = certificateError { _ = try RoleMapping(yaml: yaml) }
        #expect(error?.code == .invalidRoleMapping)
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
    }
}

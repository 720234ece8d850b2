import ArgumentParser
import Foundation
import ZeroTrustPolicy

/// `zt policy eval --policy FILE --request FILE|- [--explain]`.
struct PolicyEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Decide one JSON access request against a policy file.",
        discussion: """
            Prints the decision as one line of compact JSON with sorted keys: authorized, \
            obligations, policy_id (null when none), policy_version, reason {code, message}, \
            ttl (null when denied), and explanation with --explain. Exits 0 when authorized, 1 when denied, 2 when the \
            policy file or the request is unreadable or invalid.

            Examples:
              zt policy eval --policy policies.yaml --request request.json
              cat request.json | zt policy eval --policy policies.yaml --request - --explain
            where request.json holds
              {"subject":{"id":"alice","roles":["data_scientist"]},
               "resource":{"type":"dataset","id":"ds-1","attributes":{"sensitivity":"low"}},
               "action":"read_data","context":{"ip":"10.1.2.3","time":"2026-11-24T10:00:00Z"}}
            """
    )

    @Option(name: .long, help: "The policy YAML file.")
    var policy: String

    @Option(name: .long, help: "The JSON request file, or '-' for standard input.")
    var request: String

    @Flag(name: .long, help: "Include a per-policy explanation in the output.")
    var explain = false

    func run() throws {
        let compiled = try PolicyCLI.loadPolicies(policy, invalidExit: 2)
        let text = try PolicyCLI.read(request)
        let accessRequest: AccessRequest
        do {
            accessRequest = try AccessRequest.decodeJSON(Data(text.utf8))
        } catch {
            throw CommandFailure.badInput("\(request): \(error.message)")
        }
        let decision = compiled.authorize(accessRequest, explain: explain)
        print(PolicyCLI.decisionJSON(decision))
        if !decision.authorized { throw ExitCode(1) }
    }
}

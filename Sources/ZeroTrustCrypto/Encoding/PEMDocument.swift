/// One PEM block (RFC 7468): a label and the DER bytes between the armour lines.
///
/// The DER bytes live in ``SecureBytes`` because private keys pass through here.
package struct PEMDocument: Sendable {
    /// The label, e.g. `PRIVATE KEY`, `PUBLIC KEY` or `CERTIFICATE`.
    package let label: String
    /// The decoded bytes.
    package let der: SecureBytes

    package init(label: String, der: SecureBytes) {
        self.label = label
        self.der = der
    }

    /// Every PEM block in `text`, in order. Text outside blocks is ignored (RFC 7468 §5.2
    /// explanatory text); a block that is opened but malformed is an error naming its line.
    package static func parseAll(_ text: String) throws(CryptoError) -> [PEMDocument] {
        var documents: [PEMDocument] = []
        var current: (label: String, line: Int, body: [UInt8])?
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
            let content = String(trimmed)
            if let open = current {
                if content.hasPrefix("-----END ") {
                    let label = armourLabel(content, prefix: "-----END ")
                    guard label == open.label else {
                        throw CryptoError(code: .malformedPEM,
                                          message: "line \(lineNumber): END line \(label.map { "'\($0)'" } ?? "(malformed)") does not match BEGIN '\(open.label)' on line \(open.line)")
                    }
                    guard !open.body.isEmpty else {
                        throw CryptoError(code: .malformedPEM, message: "line \(open.line): PEM block '\(open.label)' is empty")
                    }
                    let der = open.body.withUnsafeBytes { Base64.decodeSecure($0, variant: .standard) }
                    guard let der, der.count > 0 else {
                        throw CryptoError(code: .malformedPEM,
                                          message: "lines \(open.line + 1)-\(lineNumber - 1): PEM block '\(open.label)' is not valid base64")
                    }
                    documents.append(PEMDocument(label: open.label, der: der))
                    current = nil
                } else if content.hasPrefix("-----") {
                    throw CryptoError(code: .malformedPEM,
                                      message: "line \(lineNumber): unexpected armour line inside PEM block '\(open.label)' opened on line \(open.line)")
                } else if content.contains(":") {
                    throw CryptoError(code: .malformedPEM,
                                      message: "line \(lineNumber): PEM headers (e.g. an encrypted legacy key) are not supported")
                } else {
                    current?.body.append(contentsOf: content.utf8)
                }
            } else if content.hasPrefix("-----BEGIN ") {
                guard let label = armourLabel(content, prefix: "-----BEGIN ") else {
                    throw CryptoError(code: .malformedPEM, message: "line \(lineNumber): malformed BEGIN line")
                }
                current = (label, lineNumber, [])
            }
        }
        if let open = current {
            throw CryptoError(code: .malformedPEM,
                              message: "line \(open.line): PEM block '\(open.label)' has no END line (truncated?)")
        }
        return documents
    }

    /// The single PEM block in `text`, which must carry one of `labels`.
    package static func parseOne(_ text: String, labels: [String]) throws(CryptoError) -> PEMDocument {
        let documents = try parseAll(text)
        guard let first = documents.first else {
            throw CryptoError(code: .malformedPEM, message: "no PEM block found (expected \(labels.joined(separator: " or ")))")
        }
        guard documents.count == 1 else {
            throw CryptoError(code: .malformedPEM, message: "expected one PEM block, found \(documents.count)")
        }
        guard labels.contains(first.label) else {
            if first.label == "ENCRYPTED PRIVATE KEY" {
                throw CryptoError(code: .malformedPEM,
                                  message: "encrypted private keys are not supported; decrypt with `openssl pkcs8 -topk8 -nocrypt`")
            }
            throw CryptoError(code: .malformedPEM,
                              message: "PEM label is '\(first.label)', expected \(labels.map { "'\($0)'" }.joined(separator: " or "))")
        }
        return first
    }

    /// PEM text with 64-character lines and a final newline.
    package static func encode(label: String, der: UnsafeRawBufferPointer) -> String {
        let body = Base64.encode(der, variant: .standard)
        var text = "-----BEGIN \(label)-----\n"
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: 64, limitedBy: body.endIndex) ?? body.endIndex
            text += body[index..<end]
            text += "\n"
            index = end
        }
        text += "-----END \(label)-----\n"
        return text
    }

    private static func armourLabel(_ line: String, prefix: String) -> String? {
        guard line.hasSuffix("-----"), line.count > prefix.count + 5 else { return nil }
        let label = line.dropFirst(prefix.count).dropLast(5)
        guard !label.isEmpty, label.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == " " || $0 == "-") }) else {
            return nil
        }
        return String(label)
    }
}

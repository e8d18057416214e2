// Inputs the fuzzers (bench/fuzz.sh) found, kept as regression tests.
import Foundation
import Testing
import SpikeHardware
@testable import SpikeSession

private func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/fuzz/" + name, withExtension: nil))
    return try String(contentsOf: url, encoding: .utf8)
}

@Test func aNulByteIsAnErrorNotTheSilentEndOfTheFile() throws {
    // The TOML parser stopped at the NUL after `outputs = 1`, so [view] was never read, and a
    // saved value written there vanished on reading back.
    let text = try fixture("session-saved-values.toml")
    #expect(throws: SessionError.syntax(file: "s.toml", line: 19, column: 12,
                                        message: "control character U+0000 is not allowed in TOML")) {
        try Session.parse(text, file: "s.toml")
    }
    // Without it the edited text reads back with the values saved.
    let clean = text.replacingOccurrences(of: "\0", with: "").replacingOccurrences(of: "svep", with: "step")
    var session = try Session.parse(clean, file: "s.toml")
    session.timesteps = 7
    session.view.compare.toggle()
    let back = try Session.parse(session.editedText(from: clean), file: "saved.toml")
    #expect(back.timesteps == 7 && back.view.compare == session.view.compare)
}

@Test func aTableNameThatNoKeyCanStartWithIsAnErrorNotAnAbort() throws {
    // toml++ asserted (and aborted the program) on `[}tatus_key]`; it is a syntax error now.
    let theme = try fixture("theme-table-name.toml")
    do {
        _ = try ThemeFile.parse(theme, file: "t.toml")
        Issue.record("parsed")
    } catch let e as ThemeFileError {
        #expect(e.description.hasPrefix("t.toml:14:2: invalid TOML: a key cannot start with '}'"), "\(e)")
    }
    let target = try fixture("target-table-name.toml")
    #expect(throws: SessionError.self) { try Target.parse(target, file: "p.toml") }
    for header in ["[]", "[ ]", "[[]]", "[.a]", "[=]"] {
        #expect(throws: SessionError.self, "\(header)") { try Session.parse("timesteps = 1\n\(header)\n", file: "s.toml") }
    }
    // Arrays spread over lines still read: a line starting with [ inside them is not a header.
    let arrays = "timesteps = 2\n[input]\nshape = [\n  1,\n]\nencoder = \"direct\"\n[[layers]]\ntype = \"dense\"\noutputs = 2\n"
    #expect(try Session.parse(arrays, file: "s.toml").model.inputShape.count == 1)
}

@Test func everyInputTheFuzzersFoundIsAnErrorOrASession() throws {
    // Each aborted the program through a toml++ assertion (a key or table name starting with a
    // character no key can start with, an empty array element); each must now be read or refused.
    let folder = try #require(Bundle.module.url(forResource: "Fixtures/fuzz", withExtension: nil))
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(files.count >= 6)
    for name in files {
        let text = String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
        if name.hasPrefix("session") { _ = try? Session.parse(text, file: name) }
        else if name.hasPrefix("theme") { _ = try? ThemeFile.parse(text, file: name) }
        else if name.hasPrefix("target") { _ = try? Target.parse(text, file: name) }
    }
    // The array one, reduced: an empty element.
    #expect(throws: SessionError.self) { try Target.parse("cores_per_chip = 1\nmesh = [1,,1]\n", file: "p.toml") }
}

@Test func aSessionWithCRLFLinesSavesIntoItsOwnTables() throws {
    // A line ending in CRLF stayed joined to the next line in the editor, so the [data] after it
    // was missed and a second [data] appended: the saved file did not read back.
    let text = try fixture("session-crlf.toml")
    var session = try Session.parse(text, file: "s.toml")
    session.timesteps = 7
    session.data.sample = 3
    let back = try Session.parse(session.editedText(from: text), file: "saved.toml")
    #expect(back.timesteps == 7 && back.data.sample == 3)
    let crlf = "timesteps = 2\r\n[input]\r\nshape = [1]\r\n[data]\r\nsource = \"digits\"\r\n[[layers]]\r\ntype = \"dense\"\r\noutputs = 2\r\n"
    var s = try Session.parse(crlf, file: "c.toml")
    s.data.sample = 5
    #expect(try Session.parse(s.editedText(from: crlf), file: "c2.toml").data.sample == 5)
}

/// Found by `bench/fuzz.sh 1800 target` (2026-11-30): mesh = [8, 4222222222222222222] overflowed
/// mesh[0]·mesh[1] (a trap); each side is now bounded.
@Test func aHugeMeshIsAnErrorNotATrap() throws {
    let text = try fixture("target-huge-mesh.toml")
    #expect(throws: SessionError.badValue(file: "p.toml", field: "mesh", expected: "[routers across, routers down], each from 1 to 4096",
                                          found: "[8, 4222222222222222222]")) {
        try Target.parse(text, file: "p.toml")
    }
}

/// Found by `bench/fuzz.sh 1800 session` (2026-11-30): a table header with tabs inside its
/// brackets (`[data\t\t]`, valid TOML) was not recognised by the comment-keeping editor, which
/// appended a second [data] on save: the saved file did not read back.
@Test func aHeaderWithTabsInsideIsTheSameTableOnSave() throws {
    let text = try fixture("session-tab-in-header.toml")
    var session = try Session.parse(text, file: "s.toml")
    session.timesteps = 7
    session.view.compare.toggle()
    let back = try Session.parse(session.editedText(from: text), file: "saved.toml")
    #expect(back.timesteps == 7 && back.view.compare == session.view.compare)
    let small = "timesteps = 2\n[input]\nshape = [4]\n[\tdata \t]\nsource = \"stimulus\"\n[[layers]]\ntype = \"dense\"\noutputs = 1\n"
    var s = try Session.parse(small, file: "s.toml")
    s.data.sample = 0
    let saved = s.editedText(from: small)
    #expect(saved.components(separatedBy: "data").count == 2, "one [data] table:\n\(saved)")
}

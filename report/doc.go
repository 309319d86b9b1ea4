// Package report renders pycguard's results: text for people (colour only on
// a terminal), versioned JSON documents for programs and, for check and
// scan, SARIF 2.1.0 logs for code scanning.
//
// It renders the domain packages' own results (hook.Result, hook.ScanFinding,
// fix.Audit, fix.Plan, clean.Result, hook.PreReceiveResult): New returns one
// Reporter per output format, with one method per command's result, so
// that a command neither copies its results nor chooses a format itself.
// Text names paths as git quotes them (gitops.QuotePath) and writes
// commands in the words of the user's shell (Shell).
//
// Colour follows the common conventions: --color always|never decides; with
// auto, NO_COLOR (any value) turns it off, CLICOLOR_FORCE (not "0") turns it
// on, and otherwise colour is used only when the stream is a terminal.
//
// JSON documents carry "version" (an integer bumped on incompatible change)
// and "command". A path that is not valid UTF-8 cannot be a JSON string
// byte for byte: it is given with U+FFFD in "path" and exactly, base64
// encoded, in "path_base64". docs/json.md describes every document.
package report

// Release tooling (the wheel writer run by .goreleaser.yaml) is a module of
// its own, so that `go install ./...` at the repository root installs
// pycguard alone. Run it from this directory: `go run ./releasewheel -h`.
module github.com/pycguard/pycguard/tools

go 1.24.0

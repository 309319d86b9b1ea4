// The benchmark programs (bench/timer, bench/venvtree) are a module of their
// own, so that `go install ./...` at the repository root — what the
// pre-commit framework and prek run for the golang hook — installs pycguard
// alone. Build them from this directory: `go build ./timer`.
module github.com/pycguard/pycguard/bench

go 1.24.0

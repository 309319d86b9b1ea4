module github.com/pycguard/pycguard

go 1.24.0

require (
	github.com/go-git/go-git/v5 v5.17.2
	github.com/pelletier/go-toml/v2 v2.4.3
	github.com/rogpeppe/go-internal v1.14.1
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	github.com/urfave/cli/v3 v3.14.0
	golang.org/x/sys v0.41.0
)

require (
	github.com/pjbgf/sha1cd v0.7.0 // indirect
	golang.org/x/text v0.34.0 // indirect
	golang.org/x/tools v0.42.0 // indirect
)

//go:build !unix

package gitops

// hostDiscovery: ownership on Windows is git's own judgement (owner SIDs,
// the Administrators group); the in-process discovery leaves it to git.
func hostDiscovery() discoveryPlatform { return discoveryPlatform{} }

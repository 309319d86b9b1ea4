package gitops

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Commit and tree objects are read raw from the object store (objstore.go)
// and parsed here (gitformat-commit, the tree format of git-cat-file(1)).

var errBadObject = errors.New("malformed object")

// treeEntry is one entry of a tree object.
type treeEntry struct {
	mode uint32
	hash ObjectID
}

const modeTree = 0o040000

// commitTreeHash returns the tree a raw commit object names on its first
// line ("tree <hex>"), an id of hashLen bytes.
func commitTreeHash(data []byte, hashLen int) (ObjectID, error) {
	line, _, _ := bytes.Cut(data, []byte{'\n'})
	hexHash, ok := bytes.CutPrefix(line, []byte("tree "))
	if !ok || len(hexHash) != 2*hashLen {
		return ObjectID{}, fmt.Errorf("%w: commit without a tree line", errBadObject)
	}
	h, err := ParseObjectID(string(hexHash))
	if err != nil {
		return ObjectID{}, fmt.Errorf("%w: bad tree name %q", errBadObject, hexHash)
	}
	return h, nil
}

// parseTree reads a raw tree object: entries "<octal mode> <name>\0<hash>",
// the hash hashLen bytes long. Names are kept byte for byte.
func parseTree(data []byte, hashLen int) (map[string]treeEntry, error) {
	// Sized once: a map grown entry by entry allocates every intermediate
	// size, each of which costs a fresh page in a short run.
	m := make(map[string]treeEntry, treeEntryCount(data, hashLen))
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp <= 0 {
			return nil, fmt.Errorf("%w: tree entry without a mode", errBadObject)
		}
		mode, err := strconv.ParseUint(string(data[:sp]), 8, 32)
		if err != nil {
			return nil, fmt.Errorf("%w: tree entry mode %q", errBadObject, data[:sp])
		}
		data = data[sp+1:]
		nul := bytes.IndexByte(data, 0)
		if nul < 0 || len(data) < nul+1+hashLen {
			return nil, fmt.Errorf("%w: truncated tree entry", errBadObject)
		}
		m[string(data[:nul])] = treeEntry{mode: uint32(mode), hash: objectIDFrom(data[nul+1 : nul+1+hashLen])}
		data = data[nul+1+hashLen:]
	}
	return m, nil
}

// treeEntryCount counts the entries of a raw tree object, as parseTree
// will read them (it stops at the first malformed one).
func treeEntryCount(data []byte, hashLen int) int {
	n := 0
	for {
		nul := bytes.IndexByte(data, 0)
		if nul < 0 || len(data) < nul+1+hashLen {
			return n
		}
		n++
		data = data[nul+1+hashLen:]
	}
}

package gitops

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
)

// Object name lengths in bytes (gitformat-index(5), hash-function-transition).
const (
	sha1Len   = 20
	sha256Len = 32
)

// ObjectID is a git object name that carries its length: 20 bytes in a
// SHA-1 repository, 32 in a SHA-256 one (git init --object-format=sha256).
// The zero ObjectID names nothing. ObjectIDs are comparable and may be used
// as map keys; two ids of different lengths are never equal.
type ObjectID struct {
	b [sha256Len]byte
	n uint8
}

// objectIDFrom copies b, which must be 20 or 32 bytes long.
func objectIDFrom(b []byte) ObjectID {
	var id ObjectID
	id.n = uint8(copy(id.b[:], b))
	return id
}

// ParseObjectID reads a full object name in hexadecimal: 40 digits (SHA-1)
// or 64 (SHA-256), either case.
func ParseObjectID(s string) (ObjectID, error) {
	var id ObjectID
	if len(s) != 2*sha1Len && len(s) != 2*sha256Len {
		return id, fmt.Errorf("%w: object name %q", errBadObject, s)
	}
	if _, err := hex.Decode(id.b[:len(s)/2], []byte(s)); err != nil {
		return ObjectID{}, fmt.Errorf("%w: object name %q", errBadObject, s)
	}
	id.n = uint8(len(s) / 2)
	return id, nil
}

// String is the id in lower-case hexadecimal, as git prints it; "" for the
// zero ObjectID.
func (id ObjectID) String() string { return hex.EncodeToString(id.b[:id.n]) }

// Len is the id's length in bytes: 20, 32, or 0 for the zero ObjectID.
func (id ObjectID) Len() int { return int(id.n) }

// IsZero reports whether id names nothing.
func (id ObjectID) IsZero() bool { return id.n == 0 }

// hashLenOf maps an object format (git rev-parse --show-object-format) to
// the length of its ids; "" is SHA-1, git's default.
func hashLenOf(format string) (int, error) {
	switch format {
	case "", "sha1":
		return sha1Len, nil
	case "sha256":
		return sha256Len, nil
	}
	return 0, fmt.Errorf("%w: object format %q", errNotSupported, format)
}

func newHash(hashLen int) hash.Hash {
	if hashLen == sha256Len {
		return sha256.New()
	}
	return sha1.New()
}

// hashObject is the object name of content of the given type in the
// object format whose ids are hashLen bytes long.
func hashObject(hashLen int, typ string, data []byte) ObjectID {
	h := newHash(hashLen)
	var head [32]byte
	h.Write(strconv.AppendInt(append(append(head[:0], typ...), ' '), int64(len(data)), 10))
	h.Write([]byte{0})
	h.Write(data)
	var id ObjectID
	id.n = uint8(len(h.Sum(id.b[:0])))
	return id
}

package clean

import (
	"io/fs"
	"unsafe"

	"golang.org/x/sys/unix"
)

// readDir lists the open directory fd with getdents64: names and types,
// without "." and "..". An entry whose type the file system does not
// report (DT_UNKNOWN) is typed with fstatat relative to fd, never through a
// path. Unless all is set, only directories and regular files whose names
// may be bytecode are returned (the markers still see every entry): most
// names in a tree are never looked at again, so they are not copied.
// Compared with os.File.ReadDir this saves a fcntl and an object per
// entry, which is most of the walk's own CPU time.
// buf is the caller's scratch space (direntBufSize bytes serve well).
func readDir(fd int, all bool, buf []byte) ([]dent, markers, error) {
	var m markers
	var ents []dent
	for {
		n, err := unix.Getdents(fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, m, err
		}
		if n <= 0 {
			return ents, m, nil
		}
		for off := 0; off < n; {
			// struct linux_dirent64: d_ino u64, d_off s64, d_reclen u16,
			// d_type u8, d_name (NUL-terminated).
			rec := buf[off:n]
			if len(rec) < 19 {
				return ents, m, nil
			}
			reclen := int(*(*uint16)(unsafe.Pointer(&rec[16])))
			if reclen == 0 || reclen > len(rec) {
				return ents, m, nil
			}
			ino := *(*uint64)(unsafe.Pointer(&rec[0]))
			typ := rec[18]
			name := rec[19:reclen]
			for i, c := range name {
				if c == 0 {
					name = name[:i]
					break
				}
			}
			off += reclen
			if ino == 0 || string(name) == "." || string(name) == ".." {
				continue
			}
			t := direntType(typ)
			if typ == unix.DT_UNKNOWN {
				var st unix.Stat_t
				if err := unix.Fstatat(fd, string(name), &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
					continue // vanished since it was listed
				}
				t = statType(uint32(st.Mode))
			}
			m.seeBytes(name, t.IsDir())
			if !all && !t.IsDir() && !(t.IsRegular() && mayBeBytecode(name)) {
				continue
			}
			ents = append(ents, dent{name: string(name), typ: t})
		}
	}
}

func direntType(t uint8) fs.FileMode {
	switch t {
	case unix.DT_DIR:
		return fs.ModeDir
	case unix.DT_REG:
		return 0
	case unix.DT_LNK:
		return fs.ModeSymlink
	case unix.DT_FIFO:
		return fs.ModeNamedPipe
	case unix.DT_SOCK:
		return fs.ModeSocket
	case unix.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case unix.DT_BLK:
		return fs.ModeDevice
	}
	return fs.ModeIrregular
}

// mayBeBytecode reports whether a name may be bytecode by its suffix,
// ignoring case (the walk decides exactly later): ".pyc", ".pyo",
// "$py.class".
func mayBeBytecode(name []byte) bool {
	n := len(name)
	lower := func(c byte) byte { return c | 0x20 }
	if n >= 4 && name[n-4] == '.' && lower(name[n-3]) == 'p' && lower(name[n-2]) == 'y' {
		c := lower(name[n-1])
		return c == 'c' || c == 'o'
	}
	const jy = "$py.class"
	if n < len(jy) {
		return false
	}
	for i := 0; i < len(jy); i++ {
		c := name[n-len(jy)+i]
		if jy[i] != '$' && jy[i] != '.' {
			c = lower(c)
		}
		if c != jy[i] {
			return false
		}
	}
	return true
}

// Command venvtree writes a virtualenv-like tree for bench/clean.sh: a
// pyvenv.cfg, bin/, and lib/python3.12/site-packages/ with PACKAGES
// packages of 100 files each (50 sources, 20 of them with bytecode in
// __pycache__, 25 other files, a 5-file .dist-info). The default, 500
// packages, is 50,000 files of which 10,000 are bytecode.
//
//	go run ./bench/venvtree -packages 500 DIR
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	packages := flag.Int("packages", 500, "number of packages (100 files each)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: venvtree [-packages N] DIR")
		os.Exit(2)
	}
	if err := write(flag.Arg(0), *packages); err != nil {
		fmt.Fprintln(os.Stderr, "venvtree:", err)
		os.Exit(1)
	}
}

func write(root string, packages int) error {
	src := []byte("import os\n\n\ndef f(x):\n    return os.path.join(x, 'y')\n")
	pyc := append([]byte{0xcb, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0}, make([]byte, 400)...)
	other := []byte("data\n")
	files := 0
	put := func(rel string, data []byte) error {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		files++
		return os.WriteFile(p, data, 0o644)
	}
	if err := put("pyvenv.cfg", []byte("home = /usr/bin\nversion = 3.12.0\n")); err != nil {
		return err
	}
	for _, b := range []string{"activate", "activate.csh", "pip"} {
		if err := put(filepath.Join("bin", b), other); err != nil {
			return err
		}
	}
	sp := filepath.Join("lib", "python3.12", "site-packages")
	for k := 0; k < packages; k++ {
		name := fmt.Sprintf("pkg%04d", k)
		for _, f := range []string{"METADATA", "RECORD", "WHEEL", "INSTALLER", "top_level.txt"} {
			if err := put(filepath.Join(sp, name+"-1.0.dist-info", f), other); err != nil {
				return err
			}
		}
		dirs := []string{name, filepath.Join(name, "sub0"), filepath.Join(name, "sub1")}
		for i := 0; i < 50; i++ {
			d := filepath.Join(sp, dirs[i%3])
			mod := fmt.Sprintf("mod%02d", i)
			if err := put(filepath.Join(d, mod+".py"), src); err != nil {
				return err
			}
			if i < 20 {
				if err := put(filepath.Join(d, "__pycache__", mod+".cpython-312.pyc"), pyc); err != nil {
					return err
				}
			}
		}
		for i := 0; i < 25; i++ {
			ext := []string{".pyi", ".so", ".json", ".txt", ".typed"}[i%5]
			if err := put(filepath.Join(sp, dirs[i%3], fmt.Sprintf("data%02d%s", i, ext)), other); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(os.Stderr, "venvtree: %d files in %s\n", files, root)
	return nil
}

package clean

import "testing"

// TestFileSystemRoot: the spellings of a file-system root on unix and, with
// the platform injected, on Windows (drive roots, shares, device paths),
// and paths that are not one.
func TestFileSystemRoot(t *testing.T) {
	tests := []struct {
		p       string
		windows bool
		want    bool
	}{
		{"/", false, true},
		{"//", false, true},
		{"/home", false, false},
		{"", false, false},
		{`C:\`, false, false}, // a relative name on unix
		{`D:\`, true, true},
		{`C:/`, true, true},
		{`c:`, true, true},
		{`C:\\`, true, true},
		{`\`, true, true},
		{`/`, true, true},
		{`\\server\share\`, true, true},
		{`\\server\share`, true, true},
		{`//server/share/`, true, true},
		{`\\?\C:\`, true, true},
		{`\\?\UNC\server\share\`, true, true},
		{`\\.\Volume{0b1c2d3e-0000-0000-0000-100000000000}\`, true, true},
		{`C:\Users`, true, false},
		{`D:\proj\`, true, false},
		{`\\server\share\proj`, true, false},
		{`\\?\C:\proj`, true, false},
		{`\\?\UNC\server\share\proj`, true, false},
		{`1:\`, true, false},
		{``, true, false},
	}
	for _, tt := range tests {
		if got := isFileSystemRoot(tt.p, tt.windows); got != tt.want {
			t.Errorf("isFileSystemRoot(%q, windows=%v) = %v, want %v", tt.p, tt.windows, got, tt.want)
		}
	}
	// Through refusal, as Run asks (the path need not exist for the
	// spelling to be refused).
	for _, p := range []string{`D:\`, `\\server\share\`} {
		if refusal(p, "", true) == "" {
			t.Errorf("refusal(%q) on Windows: not refused", p)
		}
	}
	if refusal(`D:\`, "", false) != "" {
		t.Error(`refusal("D:\") on unix: a relative name was refused`)
	}
}

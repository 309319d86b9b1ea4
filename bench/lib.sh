# Shared by the bench/ scripts: build pycguard, generate repositories, time
# commands alternately and print medians. Source it; it defines functions only.

# bench_build puts a freshly built pycguard in $BENCH_BIN.
bench_build() {
  BENCH_BIN=${BENCH_BIN:-$(mktemp -d)}
  (cd "$(dirname "${BASH_SOURCE[0]}")/.." && go build -o "$BENCH_BIN/pycguard" ./cmd/pycguard) || return 1
  PYCGUARD="$BENCH_BIN/pycguard"
}

# Isolate git from the user's configuration.
bench_git_env() {
  export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
  export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
  export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
  export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=init.defaultBranch GIT_CONFIG_VALUE_0=main
}

# bench_gen_repo DIR FILES BYTECODE: a repository with FILES tracked files of
# which BYTECODE are __pycache__/*.pyc beside their module, checked out, in
# one commit. Built with git fast-import, so 100k files take seconds.
bench_gen_repo() {
  local dir=$1 files=$2 pyc=$3
  rm -rf "$dir" && git init -q "$dir" || return 1
  awk -v files="$files" -v pyc="$pyc" 'BEGIN {
    # a few distinct blobs, referenced by mark
    for (b = 1; b <= 8; b++) {
      data = "# module body " b "\nimport os\n\ndef f():\n    return " b "\n"
      printf "blob\nmark :%d\ndata %d\n%s\n", b, length(data), data
    }
    pycdata = "\x55\x0d\x0d\x0a bytecode"
    printf "blob\nmark :9\ndata %d\n%s\n", length(pycdata), pycdata
    msg = "generated"
    printf "commit refs/heads/main\ncommitter bench <bench@example.com> 1700000000 +0000\ndata %d\n%s\n", length(msg), msg
    n = 0; p = 0
    for (i = 0; n < files; i++) {
      d = sprintf("pkg%03d/sub%02d", int(i / 1000), int(i / 40) % 25)
      printf "M 100644 :%d %s/mod%05d.py\n", (i % 8) + 1, d, i; n++
      if (p < pyc && n < files) {
        printf "M 100644 :9 %s/__pycache__/mod%05d.cpython-312.pyc\n", d, i; n++; p++
      }
    }
  }' | git -C "$dir" fast-import --quiet || return 1
  git -C "$dir" checkout -q -f main || return 1
}




# bench_timer_build puts the alternating timer (bench/timer) in $TIMER.
bench_timer_build() {
  BENCH_BIN=${BENCH_BIN:-$(mktemp -d)}
  (cd "$(dirname "${BASH_SOURCE[0]}")" && go build -o "$BENCH_BIN/timer" ./timer) || return 1
  TIMER="$BENCH_BIN/timer"
}

# bench_empty_build puts an empty Go program (bench/emptyprog), built by the
# same toolchain as pycguard, in $EMPTYPROG: the floor of any Go program's
# start on the machine.
bench_empty_build() {
  BENCH_BIN=${BENCH_BIN:-$(mktemp -d)}
  (cd "$(dirname "${BASH_SOURCE[0]}")" && go build -o "$BENCH_BIN/emptyprog" ./emptyprog) || return 1
  EMPTYPROG="$BENCH_BIN/emptyprog"
}

# bench_gen_history DIR COMMITS: a repository with COMMITS commits, each
# changing a few sources and adding bytecode every tenth commit.
bench_gen_history() {
  local dir=$1 commits=$2
  rm -rf "$dir" && git init -q "$dir" || return 1
  awk -v commits="$commits" 'BEGIN {
    for (c = 1; c <= commits; c++) {
      msg = sprintf("commit %d", c)
      printf "commit refs/heads/main\ncommitter bench <bench@example.com> %d +0000\ndata %d\n%s\n", 1700000000 + c, length(msg), msg
      for (f = 0; f < 5; f++) {
        data = "# rev " c " file " f "\n"
        printf "M 100644 inline src/mod%03d/file%d.py\ndata %d\n%s\n", c % 200, f, length(data), data
      }
      if (c % 10 == 0) {
        data = "bytecode of commit " c "\n"
        printf "M 100644 inline src/mod%03d/__pycache__/file0.cpython-312.pyc\ndata %d\n%s\n", c % 200, length(data), data
      }
    }
  }' | git -C "$dir" fast-import --quiet || return 1
  git -C "$dir" checkout -q -f main || return 1
}

# bench_median prints the median of its arguments (numbers).
bench_median() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}

# bench_ms CMD...: wall-clock milliseconds of one run (output discarded).
# It includes two `date` processes; bench/timer measures more precisely.
bench_ms() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 ))e-3 | awk '{printf "%.2f\n", $1}'
}

# bench_rss_kib CMD...: peak resident set size in KiB of one run.
bench_rss_kib() {
  /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
}

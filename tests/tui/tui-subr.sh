# Helpers for tests/tui/run-tui-*.sh: drive `mapsleuth tui` on a corpus core
# inside a private tmux server (send-keys, capture-pane -p) and check the
# screen after each step (after tmux's own regress/ tests).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"

[ -n "$TMUX_BIN" ] && [ -x "$TMUX_BIN" ] || skip "tmux not installed"

tmux_socket=ms$$
tm() { "$TMUX_BIN" -L "$tmux_socket" -f /dev/null "$@"; }
trap 'rc=$?; tm kill-server >/dev/null 2>&1 || true; cd /; [ $rc -ne 0 ] || rm -rf "$test_dir"; exit $rc' EXIT

# tui_start COLS ROWS [ENV=VALUE...] -- ARGS...: run mapsleuth tui ARGS in a
# new tmux session of that size; its exit status goes to ./tui.rc.
tui_start()
{
	local cols=$1 rows=$2 envs="" a
	shift 2
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs $1"
		shift
	done
	shift
	rm -f tui.rc
	{
		echo '#!/bin/sh'
		printf 'env%s' "$envs"
		printf ' %s' "'$MAPSLEUTH'" tui
		for a in "$@"; do printf " '%s'" "$a"; done
		printf ' 2> %s/tui.err\n' "$test_dir"
		printf 'echo $? > %s/tui.rc\n' "$test_dir"
	} > run-tui.sh
	# The server stays when the session ends: else the key that quits
	# mapsleuth can end the server before tmux answers send-keys, which
	# then fails with "server exited unexpectedly".
	tm new-session -d -s ms -x "$cols" -y "$rows" "sh $test_dir/run-tui.sh" \; \
		set-option -g exit-empty off
}

# tui_keys KEY...: tmux send-keys names (Enter, Tab, BSpace, Escape, j, ...).
tui_keys() { tm send-keys -t ms "$@"; }

tui_capture() { tm capture-pane -p -t ms > screen.txt 2>/dev/null || true; }

# expect_screen STEP PATTERN...: wait (up to 30 s) until the screen
# matches every extended regular expression; show it and fail otherwise.
expect_screen()
{
	local step=$1 i=0 p missing
	shift
	while :; do
		tui_capture
		missing=
		for p in "$@"; do
			grep -Eq -- "$p" screen.txt || { missing=$p; break; }
		done
		[ -z "$missing" ] && return 0
		[ $i -lt 300 ] || break
		sleep 0.1
		i=$((i + 1))
	done
	echo "--- screen at step '$step' ---"
	cat screen.txt
	[ -s tui.err ] && { echo "--- stderr ---"; cat tui.err; }
	fail "$step: the screen does not show '$missing'"
}

# cursor_to STEP PATTERN [MAX]: press j, each time waiting for the screen
# to change, until it matches the extended regular expression PATTERN
# (meant to match the line under the cursor); at most MAX times, 40 by
# default. Fail when it never does.
cursor_to()
{
	local i=0 w
	tui_capture
	while ! grep -Eq -- "$2" screen.txt; do
		if [ $i -ge "${3:-40}" ]; then
			echo "--- screen at step '$1' ---"
			cat screen.txt
			fail "$1: the cursor never reached '$2'"
		fi
		cp screen.txt screen.prev
		tui_keys j
		w=0
		while tui_capture && cmp -s screen.txt screen.prev && [ $w -lt 30 ]; do
			sleep 0.1
			w=$((w + 1))
		done
		i=$((i + 1))
	done
}

# refute_screen STEP PATTERN: the current screen must not match.
refute_screen()
{
	tui_capture
	if grep -Eq -- "$2" screen.txt; then
		echo "--- screen at step '$1' ---"
		cat screen.txt
		fail "$1: the screen shows '$2'"
	fi
}

# expect_exit_status CODE: wait for mapsleuth to end and check its status.
expect_exit_status()
{
	local i=0
	while [ ! -s tui.rc ] && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s tui.rc ] || fail "mapsleuth tui did not exit"
	[ "$(cat tui.rc)" = "$1" ] || fail "mapsleuth tui exited $(cat tui.rc), expected $1: $(cat tui.err)"
}

# The screen with its attributes: does any cell use a colour?
screen_has_colour()
{
	tm capture-pane -e -p -t ms > screen.esc 2>/dev/null || true
	grep -Eq "$(printf '\033')\\[([0-9;]*;)?(3[0-7]|4[0-7]|38|48|9[0-7])(;[0-9;]*)?m" screen.esc
}

# The list and the detail side by side (wide) or stacked (narrow).
side_by_side() { tui_capture; grep -q 'maps:.*\[[A-Z][a-z]*\]' screen.txt; }

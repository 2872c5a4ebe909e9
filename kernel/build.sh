#!/bin/bash
# Obtain Linux 6.12 LTS, apply the softres series and build the test kernels.
#
#   build.sh tree             unpack Debian's linux-source-6.12 into a git tree
#   build.sh apply            (re)apply kernel/patches + kernel/test-patches
#   build.sh build VARIANT    build VARIANT into build/VARIANT:
#                             default, no-region (CONFIG_CXL_REGION=n),
#                             stress (default + KASAN, kmemleak),
#                             builtin (CXL and device-dax built in, no
#                             cxl_test: QEMU's CXL devices),
#                             baseline, baseline-no-region,
#                             baseline-builtin (6.12 + the
#                             test-only patches, without the series)
#   build.sh install SRC OUT  install the kernel and cxl_test built in SRC
#                             into OUT (kernel/feature-points uses it)
#   build.sh export           regenerate kernel/patches + kernel/test-patches
#                             from the commits in the tree
#
# The tree is build/linux (or KSRC=<dir>, made a git tree in place). Its
# branch "softres" is softres-base + the product series + the test-only
# patches (those touch tools/testing/ only and always come last). Each
# variant other than "default" builds in a git worktree of the same commit,
# because one source tree holds one in-tree configuration.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$top/build}
TREE=${KSRC:-$BUILD/linux}
SRC_TAR=/usr/src/linux-source-6.12.tar.xz
JOBS=${JOBS:-$(($(nproc) + 1))}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/softres-ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
export GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-softres} GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-softres@localhost}
export GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-softres} GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-softres@localhost}
# Reproducible objects: ccache hits and identical modules across rebuilds.
export KBUILD_BUILD_TIMESTAMP='2026-01-01' KBUILD_BUILD_USER=softres KBUILD_BUILD_HOST=softres

log() { printf 'kernel: %s\n' "$*"; }
die() { printf 'kernel: error: %s\n' "$*" >&2; exit 1; }
g() { git -C "$TREE" "$@"; }

cc() { if command -v ccache >/dev/null; then echo "ccache gcc"; else echo gcc; fi; }

ensure_tree() {
	if [ -d "$TREE/.git" ] && g rev-parse -q --verify softres-base >/dev/null; then
		return
	fi
	if [ -n "${KSRC:-}" ]; then
		[ -f "$TREE/Makefile" ] || die "KSRC=$TREE is not a kernel source tree"
	else
		if [ ! -f "$SRC_TAR" ]; then
			log "installing linux-source-6.12"
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-source-6.12 >/dev/null ||
				die "cannot install linux-source-6.12 (run as root, after apt-get update)"
		fi
		log "unpacking $SRC_TAR"
		rm -rf "$BUILD/linux.unpack" "$TREE"
		mkdir -p "$BUILD/linux.unpack"
		tar -C "$BUILD/linux.unpack" -xf "$SRC_TAR"
		mv "$BUILD/linux.unpack/linux-source-6.12" "$TREE"
		rmdir "$BUILD/linux.unpack"
	fi
	log "making $TREE a git tree"
	[ -d "$TREE/.git" ] || g init -q
	g config gc.auto 0 # a background repack of 80k files slows the build
	# Debian's packaging ignores every top-level path; upstream does not.
	sed -i '/^# Debian packaging/,/^!\/debian\/$/d' "$TREE/.gitignore"
	g add -A
	g commit -q -m "Linux $(make -s --no-print-directory -C "$TREE" kernelversion) (Debian linux-source-6.12)"
	g tag softres-base
	g checkout -q -B softres
}

series_files() {
	local d
	for d in patches test-patches; do
		[ -d "$top/kernel/$d" ] || continue
		find "$top/kernel/$d" -maxdepth 1 -name '*.patch' \
			! -name '0000-cover-letter.patch' | sort
	done
}

series_id() { series_files | xargs -r cat | sha1sum | cut -c1-40; }

# The id of the series last applied and the commit it produced.
stamp_series() { echo "$(series_id) $(g rev-parse HEAD)" >"$TREE/.git/softres-series"; }

apply_series() {
	ensure_tree
	local stamp=$TREE/.git/softres-series id head
	if [ -f "$stamp" ]; then
		read -r id head <"$stamp"
		[ "$id" = "$(series_id)" ] && [ "$head" = "$(g rev-parse HEAD)" ] && return
		[ -n "$(g status --porcelain --untracked-files=no)" ] &&
			die "$TREE has uncommitted changes: commit them and 'make kernel-export', or discard them"
		[ "$head" = "$(g rev-parse HEAD)" ] || [ -n "${FORCE:-}" ] ||
			die "$TREE has commits that kernel/ lacks: 'make kernel-export' first (or FORCE=1 to drop them)"
	fi
	log "applying the series to softres-base"
	g am --abort >/dev/null 2>&1 || true
	g checkout -q -B softres softres-base
	local p
	for p in $(series_files); do
		g am -q "$p" || die "$(basename "$p") does not apply; fix it in $TREE and 'make kernel-export'"
	done
	stamp_series
}

# Check every value the fragments ask for made it into .config. A later
# fragment overrides an earlier one (no-region.config unsets what
# softres.config sets), so only the last word on each symbol is checked.
check_config() {
	local dir=$1 line sym
	shift
	local -A want=() from=()
	while IFS= read -r line; do
		case $line in
		*:CONFIG_*=*) sym=${line#*:}; sym=${sym%%=*} ;;
		*:"# CONFIG_"*" is not set") sym=${line#*:# }; sym=${sym%% *} ;;
		*) continue ;;
		esac
		want[$sym]=${line#*:}
		from[$sym]=${line%%:*}
	done < <(for f in "$@"; do sed "s|^|$(basename "$f"):|" "$f"; done)
	for sym in "${!want[@]}"; do
		line=${want[$sym]}
		case $line in
		CONFIG_*) grep -qx "$line" "$dir/.config" || die "${from[$sym]}: $line did not stick" ;;
		*) ! grep -q "^$sym=" "$dir/.config" || die "${from[$sym]}: $sym must be unset" ;;
		esac
	done
}

# Check out what a variant's worktree builds: the branch's commit, or for
# the baseline variants softres-base plus the test-only patches.
checkout_variant() {
	local v=$1 src=$2 p id
	if [ ! -e "$src/.git" ]; then
		g worktree prune
		g worktree add -q --detach "$src" softres-base
	fi
	case $v in
	baseline*)
		id=$(find "$top/kernel/test-patches" -maxdepth 1 -name '*.patch' | sort | xargs -r cat | sha1sum)
		[ "$(cat "$src/.softres-baseline" 2>/dev/null)" = "$id" ] && return
		git -C "$src" am --abort >/dev/null 2>&1 || true
		git -C "$src" checkout -q --detach softres-base
		for p in $(find "$top/kernel/test-patches" -maxdepth 1 -name '*.patch' | sort); do
			git -C "$src" am -q "$p" || die "$(basename "$p") does not apply to softres-base"
		done
		echo "$id" >"$src/.softres-baseline"
		;;
	*) git -C "$src" checkout -q --detach "$(g rev-parse HEAD)" ;;
	esac
}

build_variant() {
	local v=$1 src out frags key
	frags=("$top/kernel/config/softres.config")
	case $v in
	default | no-region | stress | builtin) frags+=("$top/kernel/config/series.config") ;;
	baseline | baseline-no-region | baseline-builtin) ;;
	*) die "unknown variant '$v' (default, no-region, stress, builtin, baseline, baseline-no-region, baseline-builtin)" ;;
	esac
	case $v in
	default) frags+=("$top/kernel/config/fs-dax.config") ;;
	stress) frags+=("$top/kernel/config/fs-dax.config" "$top/kernel/config/stress.config") ;;
	*no-region) frags+=("$top/kernel/config/no-region.config") ;;
	*builtin) frags+=("$top/kernel/config/builtin.config") ;;
	esac
	src=$BUILD/linux-$v
	[ "$v" = default ] && src=$TREE
	apply_series
	[ "$src" = "$TREE" ] || checkout_variant "$v" "$src"

	out=$BUILD/$v
	key=$( (git -C "$src" rev-parse HEAD; git -C "$src" diff HEAD; cat "${frags[@]}" "$0"; cc) | sha1sum)
	if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$key" ]; then
		log "$v: up to date ($out)"
		return
	fi

	local mk=(make -s --no-print-directory -C "$src" -j"$JOBS" CC="$(cc)")
	local cfgkey
	cfgkey=$(cat "${frags[@]}" | sha1sum)
	if [ ! -f "$src/.config" ] || [ "$(cat "$src/.softres-config" 2>/dev/null)" != "$cfgkey" ]; then
		log "$v: configuring"
		"${mk[@]}" defconfig >/dev/null
		(cd "$src" && scripts/kconfig/merge_config.sh -m -Q .config \
			kernel/configs/kvm_guest.config "${frags[@]}" >/dev/null)
		"${mk[@]}" olddefconfig >/dev/null
		check_config "$src" "${frags[@]}"
		echo "$cfgkey" >"$src/.softres-config"
	fi

	# cxl_test wraps cxl_core's calls: it needs a modular CXL
	local cxl_test=y
	case $v in *builtin) cxl_test=n ;; esac
	log "$v: building bzImage, modules$([ $cxl_test = y ] && echo ", cxl_test") in $src (CC=$(cc))"
	"${mk[@]}" bzImage modules
	[ $cxl_test = n ] || "${mk[@]}" M=tools/testing/cxl modules

	install_tree "$src" "$out" $cxl_test "$key"
	log "$v: installed to $out ($(cat "$out/kernelrelease"))"
}

# Install the kernel built in SRC into OUT (what the runner boots):
# bzImage, config, kernelrelease, stamp and lib/modules, with cxl_test's
# modules when CXL_TEST is y. OUT is replaced only once complete.
install_tree() {
	local src=$1 out=$2 cxl_test=$3 key=$4 kver stage=$2.new
	local mk=(make -s --no-print-directory -C "$src" -j"$JOBS" CC="$(cc)")
	kver=$(make -s --no-print-directory -C "$src" kernelrelease)
	rm -rf "$stage"
	mkdir -p "$stage"
	"${mk[@]}" INSTALL_MOD_PATH="$stage" INSTALL_MOD_STRIP=1 DEPMOD=true modules_install
	# cxl_test ships its own, mock-aware builds of these modules.
	if [ "$cxl_test" = y ]; then
		rm -f "$stage/lib/modules/$kver/kernel/drivers/cxl/"{cxl_acpi,cxl_core,cxl_pmem,cxl_port,cxl_mem}.ko
		"${mk[@]}" M=tools/testing/cxl INSTALL_MOD_PATH="$stage" INSTALL_MOD_STRIP=1 DEPMOD=true modules_install
	fi
	depmod -b "$stage" "$kver"
	cp "$src/arch/x86/boot/bzImage" "$stage/bzImage"
	cp "$src/.config" "$stage/config"
	echo "$kver" >"$stage/kernelrelease"
	echo "$key" >"$stage/stamp"
	rm -rf "$out"
	mv "$stage" "$out"
}

# kernel/patches/0000-cover-letter.patch: git's cover letter (shortlog,
# diffstat) with the subject and text of kernel/cover-letter.txt. Not
# applied: series_files() skips it.
cover_letter() {
	local text=$top/kernel/cover-letter.txt tmp
	[ -f "$text" ] || return 0
	tmp=$(mktemp -d)
	# from the series' author, whatever identity this machine's git has
	g -c user.name=softres -c user.email=softres@localhost \
		format-patch -q --no-signature --zero-commit --cover-letter \
		-o "$tmp" "softres-base..$1"
	python3 - "$tmp/0000-cover-letter.patch" "$text" "$(g log -1 --format=%aD "$1")" <<'PY'
import re, sys
out, text = sys.argv[1], open(sys.argv[2]).read().split("\n", 1)
s = open(out).read()
# dated as its last patch, so that exporting again changes nothing
s = re.sub(r"^Date: .*$", "Date: " + sys.argv[3], s, count=1, flags=re.M)
s = s.replace("*** SUBJECT HERE ***", text[0].strip())
s = s.replace("*** BLURB HERE ***", text[1].strip("\n"))
open(out, "w").write(s)
PY
	mv "$tmp/0000-cover-letter.patch" "$top/kernel/patches/"
	rm -rf "$tmp"
}

export_series() {
	ensure_tree
	[ -z "$(g status --porcelain --untracked-files=no)" ] ||
		die "$TREE has uncommitted changes: commit them first"
	local c last_product="" first_test="" files
	for c in $(g rev-list --reverse softres-base..HEAD); do
		files=$(g diff-tree --no-commit-id --name-only -r "$c")
		if grep -qv '^tools/testing/' <<<"$files"; then
			[ -z "$first_test" ] || die "product commit $(g log -1 --format=%s "$c") after a test-only one"
			last_product=$c
		else
			[ -n "$first_test" ] || first_test=$c
		fi
	done
	rm -f "$top"/kernel/patches/*.patch "$top"/kernel/test-patches/*.patch
	local fp=(format-patch -q --no-signature --zero-commit)
	if [ -n "$last_product" ]; then
		g "${fp[@]}" -o "$top/kernel/patches" "softres-base..$last_product"
		cover_letter "$last_product"
	fi
	if [ -n "$first_test" ]; then
		g "${fp[@]}" -o "$top/kernel/test-patches" "${last_product:-softres-base}..HEAD"
	fi
	stamp_series
	log "exported $(g rev-list --count softres-base..HEAD) patches to kernel/"
}

case ${1:-} in
tree) ensure_tree ;;
apply) apply_series ;;
build) build_variant "${2:-default}" ;;
install) install_tree "${2:?SRC}" "${3:?OUT}" y "installed from $2" ;;
export) export_series ;;
*) die "usage: $0 tree|apply|build [VARIANT]|install SRC OUT|export" ;;
esac

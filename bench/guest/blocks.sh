# shellcheck shell=bash disable=SC2154
# Sourced by the bench's guest scripts, with $start (bytes) and $size
# (e.g. 512M, 1G) set: $bytes, the memory block size $bs, and blocks.
case $size in
*G) bytes=$((${size%G} << 30)) ;;
*M) bytes=$((${size%M} << 20)) ;;
esac
read -r bs </sys/devices/system/memory/block_size_bytes
bs=$((0x$bs))

# blocks online|offline: every memory block wholly inside the range to
# that state, with shell builtins only (a process start, slow under TCG,
# would be in every measure); fails when a block is missing or refuses
blocks() {
	local a st n=0
	for ((a = (start + bs - 1) / bs * bs; a + bs <= start + bytes; a += bs)); do
		read -r st </sys/devices/system/memory/memory$((a / bs))/state ||
			return 1
		[ "$st" = "$1" ] || echo "$1" >/sys/devices/system/memory/memory$((a / bs))/state ||
			return 1
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}

# wait_blocks SECONDS: until the range's memory blocks exist (an owner's
# kmem has added them)
wait_blocks() {
	local t
	for ((t = 0; t < $1 * 10; t++)); do
		[ -e /sys/devices/system/memory/memory$(((start + bs - 1) / bs)) ] && return 0
		sleep 0.1
	done
	return 1
}

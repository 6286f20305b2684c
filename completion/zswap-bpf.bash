# bash completion for zswap-bpf: commands, options, policy names (from
# 'zswap-bpf list'), cgroups (under /sys/fs/cgroup) and parameter maps
# (pinned under /sys/fs/bpf/zswap-bpf).  Installed by make install.

_zswap_bpf_cgroups()
{
	local root=${ZSWAP_BPF_CGROUP_ROOT:-/sys/fs/cgroup} d
	compopt -o nospace 2>/dev/null || true
	for d in $(compgen -d -- "$root/${cur#/}"); do
		d=${d#"$root"}
		COMPREPLY+=("${d#/}/")
	done
}

_zswap_bpf()
{
	# plain bash: no dependency on the bash-completion package
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local words=("${COMP_WORDS[@]}") cword=$COMP_CWORD cmd='' i
	COMPREPLY=()
	local cmds="load unload status reclaim stats set list trace agent help"
	local globals="-j --json -p --pretty -v --verbose --policy-dir -h --help -V --version"

	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--policy-dir) ((i++)) ;;
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done
	if [ "$prev" = --policy-dir ]; then
		COMPREPLY=($(compgen -d -- "$cur"))
		return
	fi
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$cmds $globals" -- "$cur"))
		return
	fi
	if [ "$prev" = --cgroup ]; then
		_zswap_bpf_cgroups
		return
	fi
	case $cmd in
	load)
		case $cur in
		-*) COMPREPLY=($(compgen -W "--set --replace --cgroup" -- "$cur")) ;;
		*/* | *.o) COMPREPLY=($(compgen -f -X '!*.o' -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "$(zswap-bpf list 2>/dev/null | awk '{ print $1 }')" -- "$cur")) ;;
		esac
		;;
	unload) COMPREPLY=($(compgen -W "--if-loaded --cgroup" -- "$cur")) ;;
	agent)
		COMPREPLY=($(compgen -W "--cgroup --max-age --pool-max --rate --interval --psi-mem --psi-io" -- "$cur")) ;;
	reclaim) [ $((cword - i)) = 1 ] && _zswap_bpf_cgroups ;;
	stats)
		case $cur in
		-*) COMPREPLY=($(compgen -W "--prometheus" -- "$cur")) ;;
		*) _zswap_bpf_cgroups ;;
		esac
		;;
	set)
		if [ $((cword - i)) = 1 ]; then
			local pins=${ZSWAP_BPF_PIN_DIR:-/sys/fs/bpf/zswap-bpf} p names=
			for p in "$pins"/*; do
				p=${p##*/}
				case $p in link | stats | events | cgroup-* | '*') ;; *) names+=" $p" ;; esac
			done
			COMPREPLY=($(compgen -W "$names" -- "$cur"))
		else
			_zswap_bpf_cgroups
		fi
		;;
	esac
}
complete -F _zswap_bpf zswap-bpf

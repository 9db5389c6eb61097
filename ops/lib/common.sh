# Shared by the ops scripts: logging, failing, and the dry-run switch.
# shellcheck shell=bash

DRY_RUN=${DRY_RUN:-0}

log() { printf '%s %s\n' "$(date -u +%H:%M:%SZ)" "$*" >&2; }

die() { log "error: $*"; exit 1; }

# run CMD ARGS...: runs the command, or with --dry-run (DRY_RUN=1) only prints it, quoted as a shell would need
run() {
  if [[ $DRY_RUN == 1 ]]; then
    printf '+'; printf ' %q' "$@"; printf '\n'
  else
    "$@"
  fi
}

# as_root CMD ARGS...: through sudo unless already root
as_root() {
  if [[ $(id -u) -eq 0 ]]; then run "$@"; else run sudo "$@"; fi
}

# seconds DURATION: 90, 90s, 5m, 1h -> seconds
seconds() {
  local value=$1
  case $value in
    *h) echo $(( ${value%h} * 3600 )) ;;
    *m) echo $(( ${value%m} * 60 )) ;;
    *s) echo $(( ${value%s} )) ;;
    *[!0-9]*|'') die "not a duration: $value (90, 90s, 5m or 1h)" ;;
    *) echo "$value" ;;
  esac
}

# json_string TEXT: TEXT as a JSON string literal (for the aws CLI's --parameters); refuses control characters
json_string() {
  local text=$1
  [[ $text != *[[:cntrl:]]* ]] || die "a control character in: $text"
  text=${text//\\/\\\\}
  text=${text//\"/\\\"}
  printf '"%s"' "$text"
}

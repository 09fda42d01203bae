# shellcheck shell=bash
# How the scripts take their arguments (sourced by scripts/*.sh and tests/fuzz/run.sh, not
# run): an option's value as --name VALUE or --name=VALUE alike, -h or --help for the usage,
# and an unknown option, a stray argument or a missing value as one line naming it on stderr,
# the usage after it, and exit status 2, as git does.

# Prints the calling script's header: its comment lines after the first, up to the code.
usage() {
  sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
}

# usage_error MESSAGE...: the message and the usage line(s) on stderr, exit 2.
usage_error() {
  echo "$(basename "$0"): $*" >&2
  usage | sed -n '/^usage:/,$p' >&2
  exit 2
}

# option_value ARGUMENTS...: for the option at the front of the arguments, given as
# --name=VALUE or as --name VALUE, sets value (VALUE) and taken (how many arguments it took:
# shift "$taken"). The LLVM of --llvm must be a major version number.
option_value() {
  case $1 in
    *=*) value=${1#*=} taken=1 ;;
    *)
      [ $# -ge 2 ] || usage_error "option '$1' needs a value"
      value=$2 taken=2
      ;;
  esac
  case $1 in
    --llvm | --llvm=*)
      [[ $value =~ ^[1-9][0-9]*$ ]] ||
        usage_error "option '--llvm' takes an LLVM major version such as 14 or 22, not '$value'"
      ;;
  esac
}

# other_argument ARGUMENT: what every script does with an argument it does not take itself:
# -h and --help print the usage and exit 0; anything else is an error.
other_argument() {
  case $1 in
    -h | --help)
      usage
      exit 0
      ;;
    -*) usage_error "unknown option '$1'" ;;
    *) usage_error "unexpected argument '$1'" ;;
  esac
}

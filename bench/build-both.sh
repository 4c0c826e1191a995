# Sourced by the side-by-side scripts (compare-main.sh, rollup-build.sh, derive-identity.sh): builds the omnireport
# command of a base commit (from `git archive`, so the working tree is untouched) into $2/base and the working tree's
# into $2/new. Needs $root (the repository).
# Usage: build_both BASE DIR
build_both() {
  local base="$1" dir="$2"
  rm -rf "$dir/base-src" "$dir/base" "$dir/new"
  mkdir -p "$dir/base-src"
  git -C "$root" archive "$base" | tar -x -C "$dir/base-src"
  echo "building $base ($(git -C "$root" rev-parse --short "$base")) and the working tree ($(git -C "$root" rev-parse --short HEAD)+)..." >&2
  dotnet build "$dir/base-src/src/OmniReport.Cli/OmniReport.Cli.csproj" -c Release -o "$dir/base" -nologo -v quiet >&2
  dotnet build "$root/src/OmniReport.Cli/OmniReport.Cli.csproj" -c Release -o "$dir/new" -nologo -v quiet >&2
}

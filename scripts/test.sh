#!/usr/bin/env bash
# Builds Rhei and runs every test project; the last line is "tests: N passed, N failed".
# Usage: scripts/test.sh            (from any directory)
# Exit status: 0 when everything built and every test passed; non-zero otherwise.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results_dir="$repo_root/artifacts/test-results"
hang_timeout="10m"

# --- 1. Debian packages the tests drive (real third-party clients and tools) ----------------------------------
# Installed only when missing, and only when we are root or have password-less sudo.
required_packages=(kcat python3-kafka postgresql chromium tmux)

install_packages() {
  local missing=() pkg
  for pkg in "${required_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      echo "test.sh: warning: missing packages (${missing[*]}) and no root or password-less sudo to install them; tests that need them will fail." >&2
      return 0
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: warning: missing packages (${missing[*]}) and no apt-get to install them." >&2
    return 0
  fi
  echo "test.sh: installing ${missing[*]}"
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
     || ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "test.sh: warning: could not install ${missing[*]}; tests that need them will fail." >&2
  fi
}

install_packages

# --- 2. Restore and build everything (Release, warnings are errors) --------------------------------------------
dotnet restore Rhei.slnx
if ! dotnet build Rhei.slnx -c Release --no-restore -warnaserror; then
  echo "test.sh: the build failed; no tests were run." >&2
  exit 1
fi

# --- 3. Run every test project, one after another ---------------------------------------------------------------
# A test project is a tests/*/*.csproj whose IsTestProject property is true (tests/Directory.Build.props sets it
# for every project there except Rhei.Conformance, which is an executable run by its own step below).
is_test_project() {
  [ "$(dotnet msbuild "$1" -getProperty:IsTestProject -p:Configuration=Release 2>/dev/null | tr -d '[:space:]')" = "true" ]
}

# Reads passed/failed counts from a TRX file's <Counters .../> element.
trx_counter() {
  local file="$1" name="$2"
  grep -o "<Counters [^>]*" "$file" | grep -o " $name=\"[0-9]*\"" | grep -o '[0-9]*' | head -n 1
}

rm -rf "$results_dir"
mkdir -p "$results_dir"
total_passed=0
total_failed=0
broken_projects=0
summary=()

for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  if ! is_test_project "$project"; then
    continue
  fi
  trx="$results_dir/$name.trx"
  rm -f "$trx"
  started=$SECONDS
  set +e
  dotnet test "$project" --no-build -c Release \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results_dir" \
    --blame-hang-timeout "$hang_timeout"
  status=$?
  set -e
  elapsed=$((SECONDS - started))
  passed=0
  failed=0
  if [ -f "$trx" ]; then
    passed="$(trx_counter "$trx" passed)"; passed="${passed:-0}"
    failed="$(trx_counter "$trx" failed)"; failed="${failed:-0}"
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  note=""
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # Non-zero exit without a failed test: the run crashed, hung (blame timeout) or could not start.
    broken_projects=$((broken_projects + 1))
    note="  (dotnet test exited $status without a failed test: the run crashed, hung or did not start)"
  fi
  summary+=("$(printf '  %-32s %5d passed, %4d failed  %4ds%s' "$name" "$passed" "$failed" "$elapsed" "$note")")
done

# --- 4. Conformance (hook) ----------------------------------------------------------------------------------------
# HOOK for the lead: tests/Rhei.Conformance is an executable with its own ratchet (the number of passing ksqlDB
# query-validation cases must not go down). Run it here and add its result to `summary` / the exit status.
# run_conformance NAME LOG BASELINE [EXTRA ARGS...]: one run of the runner against its own baseline.
run_conformance() {
  local name="$1" log="$results_dir/$2" baseline="$3" started=$SECONDS status
  shift 3
  set +e
  dotnet run --project tests/Rhei.Conformance -c Release --no-build -- \
    --quiet --report "${log%.txt}.json" --baseline "$baseline" "$@" >"$log" 2>&1
  status=$?
  set -e
  local line
  line="$(grep '^conformance:' "$log" | tail -n 1)"
  cat "$log" | tail -n 4
  if [ "$status" -ne 0 ] || [ -z "$line" ]; then
    broken_projects=$((broken_projects + 1))
    summary+=("$(printf '  %-32s %s  %4ds  (below the baseline in %s, or the run failed; see %s)' "$name" "${line:-no result}" "$((SECONDS - started))" "$baseline" "$log")")
  else
    summary+=("$(printf '  %-32s %s  %4ds' "$name" "$line" "$((SECONDS - started))")")
  fi
}
# The query-validation cases (qtt) on the engine, and the REST query-validation cases (rqtt) over HTTP.
run_conformance "Rhei.Conformance" conformance.txt tests/Rhei.Conformance/baseline.json
run_conformance "Rhei.Conformance (REST)" conformance-rest.txt tests/Rhei.Conformance/rest-baseline.json --rest

# --- 5. Summary ---------------------------------------------------------------------------------------------------
echo
echo "Test projects:"
if [ "${#summary[@]}" -eq 0 ]; then
  echo "  (none found)"
else
  printf '%s\n' "${summary[@]}"
fi
if [ "$broken_projects" -gt 0 ]; then
  echo "$broken_projects test project(s) failed to run; see the output above."
fi
echo "tests: $total_passed passed, $total_failed failed"

if [ "$total_failed" -gt 0 ] || [ "$broken_projects" -gt 0 ]; then
  exit 1
fi

#!/usr/bin/env bash
# Everything of the cuda backend that needs an NVIDIA GPU, in one run (well under
# 8 minutes on an H100): the JAX corpus against JAX's CPU numbers, then
# benchmarks/gpu.py (time, GB/s vs bandwidth, TFLOP/s vs tensor-core peak, XLA GPU).
#
# The GPU machines cannot install hlox's MLIR (no network, wheels too large to
# carry), so by default the compiling happens here and only running happens there:
#
#   tests/gpu/run_on_device.sh --prepare          # HERE: .gpu-bundle/ (cubin + PTX
#                                                 #   artifacts, inputs, JAX CPU outputs)
#   tests/gpu/run_on_device.sh [OUT_DIR]          # THERE (device run, carry .gpu-bundle):
#                                                 #   needs python3 with numpy, ml_dtypes,
#                                                 #   cuda-bindings (jax with CUDA: XLA column)
#
# On a GPU machine where hlox installs (network, or wheels in .whl/), `--build`
# instead builds hlox into .venv-gpu and runs the tests marked `gpu` and the
# benchmark compiling there.
set -uo pipefail
cd "$(dirname "$0")/../.."
ARCH="${HLOX_CUDA_ARCH:-sm_90}"

if [ "${1:-}" = "--prepare" ]; then
  rm -rf .gpu-bundle && mkdir -p .gpu-bundle
  python tests/gpu/bundle.py prepare .gpu-bundle/corpus --arch "$ARCH" || exit 1
  python benchmarks/gpu.py --prepare .gpu-bundle/bench --arch "$ARCH" || exit 1
  du -sh .gpu-bundle
  exit 0
fi

build=0
if [ "${1:-}" = "--build" ]; then build=1; shift; fi
out="${1:-${OUT:-/tmp/hlox-gpu}}"
mkdir -p "$out"
log() { echo "== $(date -u +%H:%M:%S) $*" | tee -a "$out/summary.txt"; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$out/gpu.txt" \
  || { log "no NVIDIA driver here"; exit 1; }
status=0

if [ "$build" = 0 ]; then
  [ -d .gpu-bundle/corpus ] || { log "no .gpu-bundle: run --prepare here first, carry it"; exit 1; }
  # hlox without installing it: the package's folders mapped as the wheel maps them
  # (pyproject.toml), and a dist-info so that importlib.metadata knows its version.
  site=/tmp/hlox-site && rm -rf "$site" && mkdir -p "$site/hlox"
  cp -r hlox/. "$site/hlox/"
  for part in frontend dialects passes backends; do ln -s "$PWD/$part" "$site/hlox/$part"; done
  version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)
  mkdir -p "$site/hlox-$version.dist-info"
  printf 'Metadata-Version: 2.1\nName: hlox\nVersion: %s\n' "$version" \
    >"$site/hlox-$version.dist-info/METADATA"
  export PYTHONPATH="$site${PYTHONPATH:+:$PYTHONPATH}"
  log "corpus (prepared artifacts) against JAX CPU"
  timeout 240 python3 tests/gpu/bundle.py run .gpu-bundle/corpus 2>&1 | tee "$out/corpus.txt" \
    | tail -15
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
  log "$(tail -1 "$out/corpus.txt")"
  log "benchmarks/gpu.py --bundle"
  timeout 180 python3 benchmarks/gpu.py --bundle .gpu-bundle/bench --repeat 20 2>&1 \
    | tee "$out/benchmark.txt"
  log "done"
  exit $status
fi

pip_args=()
[ -d .whl ] && pip_args=(--no-index --find-links .whl)
if [ ! -x .venv-gpu/bin/python ]; then
  log "venv + build"
  python3 -m venv --system-site-packages .venv-gpu
  .venv-gpu/bin/pip install -q "${pip_args[@]}" scikit-build-core xtc-mlir-dev==22.1.8.4 \
    xtc-llvm-dev==22.1.8.2 >"$out/build.log" 2>&1
  CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) timeout 330 .venv-gpu/bin/pip install -q \
    "${pip_args[@]}" --no-build-isolation -e '.[test,cuda]' >>"$out/build.log" 2>&1 \
    || { log "build failed (tail of $out/build.log):"; tail -20 "$out/build.log"; exit 1; }
fi
. .venv-gpu/bin/activate
log "gpu tests"
JAX_PLATFORMS=cpu timeout 240 python -m pytest -q -p no:cacheprovider -m gpu -rfs \
  tests/python/backends/test_cuda_backend.py tests/python/backends/test_jax_corpus_cuda.py \
  2>&1 | tee "$out/gpu_tests.txt" | tail -25
[ "${PIPESTATUS[0]}" = 0 ] || status=1
log "gpu tests: $(tail -1 "$out/gpu_tests.txt")"
log "benchmarks/gpu.py"
timeout 180 python benchmarks/gpu.py --repeat 20 2>&1 | tee "$out/benchmark.txt"
log "done"
exit $status

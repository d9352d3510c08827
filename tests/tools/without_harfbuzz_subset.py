"""Run build.py in a process that cannot load the system's libharfbuzz-subset, as on a machine
without the package: `python tests/tools/without_harfbuzz_subset.py BOOK --out DIR ...`."""

import runpy
import sys
from pathlib import Path

import cffi

real_dlopen = cffi.FFI.dlopen


def dlopen(self, name, *args, **kwargs):
    if name and "harfbuzz-subset" in str(name):
        raise OSError(f"cannot load {name}: hidden for this test")
    return real_dlopen(self, name, *args, **kwargs)


cffi.FFI.dlopen = dlopen

from weasyprint.text import ffi  # noqa: E402

assert ffi.harfbuzz_subset is None, "libharfbuzz-subset was loaded all the same"
build_py = Path(__file__).resolve().parents[2] / "build.py"
sys.argv = [str(build_py), *sys.argv[1:]]
runpy.run_path(str(build_py), run_name="__main__")

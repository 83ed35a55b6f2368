"""Regenerate the JAX-captured lit tests in this directory.

    python regen.py WORKDIR      (with hlox-opt and jax on PATH / importable)

Lowers JAX programs that use dot_general, convolution, gather/scatter,
reduce, sort, while/cond/switch, reduce_window, select_and_scatter and the
collectives (shard_map on 4 forced host devices), writes their StableHLO
(pretty and generic) to WORKDIR, and turns the chosen ones into lit files
here whose CHECK lines are hlox-opt's output for the ops of this suite.
Not run by lit (only .mlir files are tests).
"""
import os, subprocess, sys

GEN = r'''
import jax, jax.numpy as jnp, numpy as np
from jax import lax
x = jnp.ones((4, 8), jnp.float32)
img = jnp.ones((2, 8, 8, 3), jnp.float32)
ker = jnp.ones((3, 3, 3, 5), jnp.float32)
idx = jnp.array([0, 2, 1])
def maxpool(a):
    return lax.reduce_window(a, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), 'SAME')
def avgpool(a):
    return lax.reduce_window(a, 0., lax.add, (1, 3, 3, 1), (1, 1, 1, 1), 'VALID') / 9
fs = {
  'matmul': (lambda a, b: a @ b.T, (x, x)),
  'einsum': (lambda a: jnp.einsum('ij,kj->ik', a, a), (x,)),
  'bf16dot': (lambda a: jnp.dot(a.astype(jnp.bfloat16), a.T.astype(jnp.bfloat16), preferred_element_type=jnp.float32), (x,)),
  'conv': (lambda a, k: lax.conv_general_dilated(a, k, (1, 1), 'SAME', dimension_numbers=('NHWC', 'HWIO', 'NHWC')), (img, ker)),
  'conv_strided': (lambda a, k: lax.conv_general_dilated(a, k, (2, 2), ((1, 0), (2, 1)), lhs_dilation=(1, 2), rhs_dilation=(2, 1), dimension_numbers=('NHWC', 'HWIO', 'NHWC')), (img, ker)),
  'conv_grouped': (lambda a, k: lax.conv_general_dilated(a, k, (1, 1), 'VALID', feature_group_count=3, dimension_numbers=('NHWC', 'HWIO', 'NHWC')), (img, jnp.ones((3, 3, 1, 6)))),
  'conv_grad': (jax.grad(lambda a, k: lax.conv_general_dilated(a, k, (2, 2), 'SAME', dimension_numbers=('NHWC', 'HWIO', 'NHWC')).sum(), argnums=(0, 1)), (img, ker)),
  'gather': (lambda a, i: a[i], (x, idx)),
  'gather2': (lambda a, i: a[:, i], (x, idx)),
  'gather_batched': (jax.vmap(lambda a, i: a[i]), (x, jnp.array([0, 1, 2, 3]))),
  'scatter_set': (lambda a, i: a.at[i].set(1.0), (x, idx)),
  'scatter_add': (lambda a, i: a.at[i, 2].add(3.0), (x, idx)),
  'scatter_batched': (jax.vmap(lambda a, i: a.at[i].add(1.0)), (x, jnp.array([0, 1, 2, 3]))),
  'argmax': (lambda a: jnp.argmax(a, axis=1), (x,)),
  'sum_max': (lambda a: (a.sum(0), a.max(1), a.min(), jnp.prod(a)), (x,)),
  'sort': (lambda a: jnp.sort(a, axis=0), (x,)),
  'argsort': (lambda a: jnp.argsort(a, axis=1), (x,)),
  'topk_sort': (lambda a: lax.sort((a, a.astype(jnp.int32)), num_keys=1), (x,)),
  'while': (lambda a: lax.while_loop(lambda c: c[0] < 10, lambda c: (c[0] + 1, c[1] * 2), (0, a)), (x,)),
  'fori': (lambda a: lax.fori_loop(0, 5, lambda i, c: c + i, a), (x,)),
  'cond': (lambda a: lax.cond(a.sum() > 0, lambda b: b + 1, lambda b: b - 1, a), (x,)),
  'switch': (lambda a: lax.switch(jnp.int32(a.sum()) % 3, [lambda b: b, lambda b: b * 2, lambda b: -b], a), (x,)),
  'maxpool': (maxpool, (img,)),
  'avgpool': (avgpool, (img,)),
  'maxpool_grad': (jax.grad(lambda a: maxpool(a).sum()), (img,)),
  'cumsum': (lambda a: jnp.cumsum(a, axis=1), (x,)),
  'scan': (lambda a: lax.scan(lambda c, r: (c + r, c * r), jnp.zeros(8), a), (x,)),
  'map': (lambda a: lax.map(lambda r: r * 2, a), (x,)),
}
import sys
for name, (f, args) in fs.items():
    try:
        l = jax.jit(f).lower(*args)
    except Exception as e:
        print('skip', name, e); continue
    open(f'{name}.mlir', 'w').write(l.as_text())
    open(f'{name}_g.mlir', 'w').write(l.compiler_ir('stablehlo').operation.get_asm(print_generic_op_form=True))
print('done')
'''

GEN_COLL = r'''
import os
os.environ['XLA_FLAGS'] = '--xla_force_host_platform_device_count=4'
import jax, jax.numpy as jnp
from jax.sharding import Mesh, PartitionSpec as P
try:
    from jax import shard_map
except ImportError:
    from jax.experimental.shard_map import shard_map
from jax import lax
mesh = jax.make_mesh((4,), ('i',))
from jax.sharding import NamedSharding
x = jax.device_put(jnp.ones((8, 4), jnp.float32), NamedSharding(mesh, P('i')))
def sm(f, out=P('i')):
    return shard_map(f, mesh=mesh, in_specs=P('i'), out_specs=out)
fs = {
  'psum': sm(lambda a: lax.psum(a, 'i'), P()),
  'pmax': sm(lambda a: lax.pmax(a, 'i'), P()),
  'all_gather': sm(lambda a: lax.all_gather(a, 'i', tiled=True)),
  'psum_scatter': sm(lambda a: lax.psum_scatter(a, 'i', scatter_dimension=1, tiled=True)),
  'all_to_all': sm(lambda a: lax.all_to_all(a, 'i', 1, 0, tiled=True)),
  'ppermute': sm(lambda a: lax.ppermute(a, 'i', [(0, 1), (1, 2), (2, 3), (3, 0)])),
}
for name, f in fs.items():
    try:
        l = jax.jit(f).lower(x)
    except Exception as e:
        print('skip', name, type(e).__name__, str(e)[:200]); continue
    open(f'coll_{name}.mlir', 'w').write(l.as_text())
    open(f'coll_{name}_g.mlir', 'w').write(l.compiler_ir('stablehlo').operation.get_asm(print_generic_op_form=True))
print('done')
'''

MKLIT = r'''
import re, subprocess, sys
MINE = ['dot_general', 'stablehlo.dot ', 'convolution', 'gather', 'scatter', 'reduce', 'while', 'case', 'if"', 'sort', 'map"', 'all_reduce', 'all_gather', 'all_to_all', 'collective_permute', 'collective_broadcast', 'reducer', 'cond {', '} do {']
def fc_escape(text):
    text = re.sub(r'%[\w#:]+', '\x00', text)
    text = text.replace('[[', '\x01').replace(']]', '\x02')
    text = text.replace('\x00', '{{%[^ ,)]+}}').replace('\x01', '{{\\[\\[}}').replace('\x02', '{{\\]\\]}}')
    return text
def make(src, dst, desc, generic_only=False):
    text = open(src).read()
    flags = ['--allow-unregistered-dialect'] if generic_only else []
    out = subprocess.run(['hlox-opt', src] + flags + (['--mlir-print-op-generic'] if generic_only else []), capture_output=True, text=True, check=True).stdout
    checks = []
    for line in out.splitlines():
        s = line.strip()
        if s.startswith('func.func') or s.startswith('"func.func"'):
            m = re.search(r'sym_name = "(\w+)"', s) or re.search(r'@(\w+)', s)
            if m:
                name = m.group(1)
                checks.append(f'// CHECK-LABEL: sym_name = "{name}"' if generic_only else f'// CHECK-LABEL: func.func {{{{.*}}}}@{name}(')
            continue
        if any(k in s for k in MINE):
            checks.append('// CHECK: ' + fc_escape(s.split(' = ', 1)[1] if re.match(r'^%[\w#:]+ = ', s) else s))
    if generic_only:
        run = ['// RUN: hlox-opt %s --allow-unregistered-dialect --mlir-print-op-generic | hlox-opt --allow-unregistered-dialect --mlir-print-op-generic | FileCheck %s']
    else:
        run = ['// RUN: hlox-opt %s | hlox-opt | FileCheck %s',
               '// RUN: hlox-opt %s --mlir-print-op-generic | hlox-opt | FileCheck %s']
    hdr = run + ['', '// ' + desc, '// (captured from jax ' + __import__('jax').__version__ + '; CHECK lines follow hlox-opt\'s output)', '']
    open(dst, 'w').write('\n'.join(hdr + checks) + '\n\n' + text)
D = os.environ['HLOX_LIT_DIR'] + '/'
progs = {
 'matmul': 'jnp: a @ b.T',
 'bf16dot': 'jnp.dot with preferred_element_type=f32 on bf16',
 'conv_strided': 'lax.conv_general_dilated NHWC/HWIO, strides, padding, dilations',
 'conv_grad': 'gradient of a strided convolution (transposed/grouped convs)',
 'gather2': 'a[:, i]',
 'gather_batched': 'vmap of a[i] (gather with batching dims)',
 'scatter_add': 'a.at[i, 2].add(3.0)',
 'scatter_batched': 'vmap of a.at[i].add(1.0) (scatter with batching dims)',
 'argmax': 'jnp.argmax (variadic reduce)',
 'sum_max': 'sum, max, min, prod (compact reduce)',
 'argsort': 'jnp.argsort (variadic sort)',
 'while': 'lax.while_loop',
 'fori': 'lax.fori_loop',
 'cond': 'lax.cond',
 'switch': 'lax.switch',
 'avgpool': 'reduce_window sum pooling',
 'maxpool_grad': 'gradient of max pooling (select_and_scatter)',
 'cumsum': 'jnp.cumsum (reduce_window)',
 'map': 'lax.map (scan as while)',
}
for name, desc in progs.items():
    make(name + '.mlir', D + name.replace('_', '-') + '.mlir', 'JAX: ' + desc)
for name in ['psum', 'all_gather', 'psum_scatter', 'all_to_all', 'ppermute']:
    make(f'coll_{name}_g.mlir', D + 'coll-' + name.replace('_', '-') + '.mlir', f'JAX: lax.{name} under shard_map, generic form (sdy ops parsed by the sdy dialect)', generic_only=True)
'''

if __name__ == '__main__':
    work = sys.argv[1]
    os.makedirs(work, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, HLOX_LIT_DIR=here)
    for code in (GEN, GEN_COLL, 'import os\n' + MKLIT):
        subprocess.run([sys.executable, '-c', code], cwd=work, env=env, check=True)

#!/usr/bin/env python3
"""Writes a broken results document for a CLI case: bad_results.py KIND OUT.

Each KIND damages tests/fixtures/render/results-sample.json (or, for the
risk-of-bias cases, the MSC fixture) in one way a hand edit or a wrong file
could; the typed results reader must refuse it with FILE:LINE:COL."""
import json
import sys

kind, out = sys.argv[1], sys.argv[2]
src = ('tests/fixtures/results/msc-iv-rct.results.json' if kind.startswith('rob')
       else 'tests/fixtures/render/results-sample.json')
doc = json.load(open(src))
a0 = doc['analyses'][0]
if kind == 'studies-string':
    doc['analyses'][1]['studies'] = 'x'
elif kind == 'negative-k':
    doc['analyses'][1]['k'] = -3
elif kind == 'name-number':
    a0['name'] = 5
elif kind == 'rob-domains-numbers':
    doc['review']['risk_of_bias']['domains'] = [1, 2]
elif kind == 'ci-1e300':
    a0['transformed']['ci_ub'] = 1e300
elif kind == 'no-version':
    del doc['results_version']
elif kind == 'version-2':
    doc['results_version'] = 2
elif kind == 'unknown-key':
    a0['pvalue'] = 0.5
elif kind == 'pair-short':
    a0['tau2_ci'] = [0]
elif kind == 'p-above-1':
    a0['studies'][0]['weight'] = 150
elif kind in ('truncated', 'duplicate-key'):
    pass
elif kind == 'interval-reversed':
    s = a0['studies'][1]
    s['ci_lb'], s['ci_ub'] = s['ci_ub'], s['ci_lb']
else:
    sys.exit(f'bad_results.py: unknown kind {kind!r}')
text = json.dumps(doc, indent='\t', ensure_ascii=False) + '\n'
if kind == 'truncated':
    text = text[: len(text) // 2]
elif kind == 'duplicate-key':
    text = text.replace('"safemeta":', '"input": "x",\n\t"safemeta":', 1)
open(out, 'w').write(text)

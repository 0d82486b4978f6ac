#!/bin/bash
cd /work/main
for i in 1 2 3 4; do for v in ${VARIANTS:-old yield spin}; do B=/tmp/spin/rsoup-$v
  $B bench train --threads 2 --json 2>/dev/null > /tmp/spin/s.json
  ( $B bench train --threads 2 --json 2>/dev/null > /tmp/spin/o1.json & $B bench train --threads 2 --json 2>/dev/null > /tmp/spin/o2.json; wait )
  python3 -c "
import json; s=json.load(open('/tmp/spin/s.json')); a=json.load(open('/tmp/spin/o1.json')); b=json.load(open('/tmp/spin/o2.json'))
print('%-6s single: train %.0f env %.0f | two at once: train %.0f' % ('$v', s['train_steps_per_s'], s['env_only_steps_per_s'], a['train_steps_per_s']+b['train_steps_per_s']))"
done; done

"""py_sb3.py — Stable-Baselines3's PPO trains on an rsoup env (rsoup.make,
a gymnasium Env stepped by librsoup), and what it trained on is rsoup's:

  - every rollout SB3 stored (observations, rewards, episode starts) is
    replayed with the actions SB3 sent (its stored actions, clipped to the
    action space as SB3 clips them) in a fresh rsoup env of the same seed:
    the same observations and rewards, bit for bit, and each reward is the
    reward's weights applied to the step's terms;
  - the training did something: the loss and KL that SB3 logged are finite
    and change between updates, the policy's weights moved;
  - the trained policy crosses back: its weights saved as an rsoup policy
    file (rsoup.save_policy) act as SB3's predict(deterministic=True) does,
    and `rsoup eval` runs it to a finite return.

    python tests/py_sb3.py RSOUP_BIN SOURCE_DIR   (tests/py_interop.sh sb3 runs it)
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

R, SRC = sys.argv[1:3]
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(SRC, "python"))
import torch  # noqa: E402
from stable_baselines3 import PPO  # noqa: E402
from stable_baselines3.common.callbacks import BaseCallback  # noqa: E402

import rsoup  # noqa: E402
import rsoup.envs  # noqa: E402

torch.set_num_threads(1)
passed, failed = 0, 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL %s%s" % (name, ": " + str(detail) if detail != "" else ""))


class Keep(BaseCallback):
    """a copy of every rollout SB3 collected, and what its logger holds then
    (the previous update's losses)"""

    def __init__(self):
        super().__init__()
        self.rollouts, self.logged = [], []

    def _on_step(self):
        return True

    def _on_rollout_end(self):
        b = self.model.rollout_buffer
        self.rollouts.append({k: getattr(b, k).copy() for k in
                              ("observations", "actions", "rewards", "episode_starts")})
        v = self.model.logger.name_to_value
        if "train/loss" in v:
            self.logged.append((v["train/loss"], v["train/approx_kl"]))


SEED, ENV, REWARD = 3, "hopper", "risky"
N_STEPS, ROLLOUTS = 512, 4
t0 = time.time()
env = rsoup.make(ENV, reward=REWARD, seed=SEED)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # SB3's advice on an unbounded observation Box
    model = PPO("MlpPolicy", env, n_steps=N_STEPS, batch_size=64, n_epochs=4, seed=SEED,
                device="cpu", policy_kwargs={"net_arch": [32, 32]}, verbose=0)
before = [p.detach().clone() for p in model.policy.parameters()]
keep = Keep()
model.learn(total_timesteps=N_STEPS * ROLLOUTS, callback=keep)
train_s = time.time() - t0
check("SB3 collected %d rollouts" % ROLLOUTS, len(keep.rollouts) == ROLLOUTS, len(keep.rollouts))

# ---- replay: SB3's actions in a fresh rsoup env, same seed (SB3's first
# reset is reset(seed=SEED), later ones reset() going on with the stream)
box = env.action_space
fresh = rsoup.make(ENV, reward=REWARD, seed=SEED, info_terms=True)
w = rsoup.envs.reward_weights(ENV, REWARD)
obs, _ = fresh.reset(seed=SEED)
bad_obs = bad_rew = bad_start = bad_terms = steps = episodes = 0
start = True
first_bad = None
for ro in keep.rollouts:
    for t in range(N_STEPS):
        o, a, r, s = (ro["observations"][t, 0], ro["actions"][t, 0], ro["rewards"][t, 0],
                      ro["episode_starts"][t, 0])
        if not np.array_equal(o, obs):
            bad_obs += 1
            first_bad = first_bad or ("obs", steps, o, obs)
        bad_start += bool(s) != start
        obs, rew, term, trunc, info = fresh.step(np.clip(a, box.low, box.high))
        steps += 1
        # SB3 adds gamma * V(last obs) to the reward of a truncated step
        if not trunc and np.float32(rew) != r:
            bad_rew += 1
            first_bad = first_bad or ("reward", steps, r, rew)
        bad_terms += not np.isclose(rew, info["terms"] @ w, rtol=1e-5, atol=1e-4)
        start = term or trunc
        if start:
            episodes += 1
            obs, _ = fresh.reset()
check("SB3's stored observations = rsoup's for its actions, bit for bit", bad_obs == 0,
      (bad_obs, steps, first_bad))
check("SB3's stored rewards = rsoup's, bit for bit", bad_rew == 0, (bad_rew, first_bad))
check("SB3's episode starts = rsoup's episode ends", bad_start == 0, bad_start)
check("rewards = the reward's weights . terms", bad_terms == 0, bad_terms)
check("episodes ended and restarted during training", episodes >= 5, episodes)

# ---- the training did something
loss = np.array(keep.logged)
check("SB3 logged the losses of %d updates" % (ROLLOUTS - 1), loss.shape == (ROLLOUTS - 1, 2),
      loss.shape)
check("losses finite", np.isfinite(loss).all(), loss)
check("loss changed between updates", len(np.unique(loss[:, 0])) == len(loss), loss[:, 0])
moved = [not torch.equal(b, p.detach()) for b, p in zip(before, model.policy.parameters())]
check("every parameter tensor moved", all(moved), moved)

# ---- SB3's policy as an rsoup policy file (rsoup.from_sb3): same actions,
# and rsoup eval runs it
with tempfile.TemporaryDirectory() as d:
    f = os.path.join(d, "sb3_ppo.safetensors")
    rsoup.save_policy(f, rsoup.from_sb3(model))
    ours = rsoup.load_policy(f)
    check("from_sb3 reads env, reward, steps and trainer from the model",
          (ours.env, ours.metadata.get("reward"), ours.metadata.get("steps"),
           ours.metadata.get("trainer")) == (ENV, REWARD, str(N_STEPS * ROLLOUTS),
                                             "stable-baselines3 PPO"), ours.metadata)
    batch = np.concatenate([ro["observations"][:, 0] for ro in keep.rollouts])
    theirs, _ = model.predict(batch, deterministic=True)
    mine = ours.act(batch)
    err = float(np.abs(mine - theirs).max())
    check("rsoup act = SB3 predict(deterministic) on %d observations" % len(batch), err <= 1e-5,
          err)
    p = subprocess.run([R, "eval", f, "--episodes", "2", "--seed", "1", "--threads", "1",
                        "--reward", REWARD, "--json"], capture_output=True, text=True)
    ret = None
    if p.returncode == 0:
        ret = [x["mean"] for x in json.loads(p.stdout)["rewards"] if x["reward"] == REWARD]
        ret = ret[0] if ret else None
    check("rsoup eval runs SB3's policy to a finite return", ret is not None and
          np.isfinite(ret), p.stderr[-300:] or p.stdout[-300:])

# ---- behind VecNormalize, with ReLU: the statistics and clip carry over
from stable_baselines3.common.vec_env import DummyVecEnv, VecNormalize  # noqa: E402
venv = VecNormalize(DummyVecEnv([lambda: rsoup.make(ENV, reward="cautious", seed=SEED)]),
                    clip_obs=5.0)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    m2 = PPO("MlpPolicy", venv, n_steps=256, batch_size=64, n_epochs=2, seed=SEED, device="cpu",
             policy_kwargs={"net_arch": [16], "activation_fn": torch.nn.ReLU}, verbose=0)
m2.learn(512)
p2 = rsoup.from_sb3(m2)
raw = np.concatenate([np.asarray(venv.obs_rms.mean + 3 * np.sqrt(venv.obs_rms.var) *
                                 np.random.default_rng(1).standard_normal((200, 11)),
                                 np.float32)])
theirs, _ = m2.predict(venv.normalize_obs(raw), deterministic=True)
err = float(np.abs(p2.act(raw) - theirs).max())
check("from_sb3 behind VecNormalize (ReLU, clip 5): rsoup act = SB3 predict on raw "
      "observations, 3 std out", err <= 1e-5 and p2.activation == "relu" and p2.obs_clip == 5.0,
      (err, p2.activation, p2.obs_clip))
check("from_sb3 takes the reward of the model's env", p2.metadata.get("reward") == "cautious",
      p2.metadata)
venv.epsilon = 1e-6
try:
    rsoup.from_sb3(m2)
    check("a VecNormalize epsilon other than rsoup's refused", False)
except rsoup.RsoupError as e:
    check("a VecNormalize epsilon other than rsoup's refused", "epsilon" in str(e), e)
try:
    rsoup.from_sb3(m2.policy)
    check("a bare policy without env= refused", False)
except rsoup.RsoupError as e:
    check("a bare policy without env= refused, asking for env=", "env=" in str(e), e)
venv.close()

# ---- the README's soup example, with fewer steps: it runs, and the soup
# is the experts' average, tensor by tensor
lines = open(os.path.join(SRC, "README.md")).read().split("\n")
at = next(i for i, l in enumerate(lines) if l.startswith("**A rewarded soup trained from Python"))
start = next(i for i in range(at, len(lines)) if lines[i] == "```python") + 1
code = "\n".join(lines[start:lines.index("```", start)])
check("the README's example has its step count to shrink", "steps = 100_000" in code, code[:200])
cwd = os.getcwd()
with tempfile.TemporaryDirectory() as d:
    os.chdir(d)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(code.replace("steps = 100_000", "steps = 256"), "README.md", "exec"), {})
        ex = [rsoup.read_safetensors(f)[0] for f in ("risky.safetensors", "cautious.safetensors")]
        soup = rsoup.read_safetensors("soup.safetensors")[0]
        worst = max(float(np.abs(soup[k].astype(np.float64) -
                                 0.5 * (ex[0][k].astype(np.float64) + ex[1][k])).max())
                    for k in soup if k.startswith("pi."))
        check("the README's soup = the experts' average", worst < 1e-6 and
              not np.array_equal(ex[0]["pi.0.weight"], ex[1]["pi.0.weight"]), worst)
    finally:
        os.chdir(cwd)

fresh.close()
env.close()
print("py_sb3: PPO %d steps in %.1f s; %d passed, %d failed" % (N_STEPS * ROLLOUTS, train_s,
                                                                 passed, failed))
sys.exit(1 if failed else 0)

"""py_morl.py — MORL-Baselines' CAPQL (a weight-conditioned SAC for
continuous actions) trains on an rsoup env with a vector reward
(rsoup.make(..., objectives=[...]): MO-Gymnasium's reward_space) for a short
budget, then its policy is evaluated at equally spaced weights into a front,
with MORL-Baselines' own evaluation (policy_evaluation_mo). Checked:

  - the front has one point per weight and one column per objective, finite;
  - the rewards CAPQL trained on are rsoup's: every transition in its replay
    buffer is replayed with its action in a fresh rsoup env of the same
    seed: same observations, same reward vectors, bit for bit;
  - the front's returns are rsoup's: each weight's episode, replayed with
    the agent's actions in a fresh env that also reports the reward terms,
    sums to the front's point (bit for bit), and that point is the
    objectives' weights applied to the summed terms (to float32 rounding);
  - the training did something: the policy's weights moved.

    python tests/py_morl.py RSOUP_BIN SOURCE_DIR   (tests/py_interop.sh morl runs it)
"""
import os
import random
import sys
import time
import warnings

import numpy as np

R, SRC = sys.argv[1:3]
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(SRC, "python"))
os.environ.setdefault("WANDB_MODE", "disabled")  # CAPQL imports wandb; log=False never calls it
import torch  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # distutils' deprecation, pygame's banner
    from morl_baselines.common.evaluation import policy_evaluation_mo  # noqa: E402
    from morl_baselines.common.weights import equally_spaced_weights  # noqa: E402
    from morl_baselines.multi_policy.capql.capql import CAPQL  # noqa: E402

import rsoup  # noqa: E402
import rsoup.envs  # noqa: E402

torch.set_num_threads(1)
torch.manual_seed(0)  # CAPQL's networks; its buffer samples with random, its warm-up
random.seed(0)        # actions with the env's action_space: one run is one front
passed, failed = 0, 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL %s%s" % (name, ": " + str(detail) if detail != "" else ""))


ENV, OBJ = "hopper", ["mo_velocity", "mo_height"]  # MO-Gymnasium's mo-hopper: speed, height
SEED, EVAL_SEED, STEPS, N_W = 4, 1000, 1200, 4
t0 = time.time()
env = rsoup.make(ENV, objectives=OBJ, seed=SEED)
eval_env = rsoup.make(ENV, objectives=OBJ, seed=EVAL_SEED)
env.action_space.seed(SEED)
agent = CAPQL(env, learning_starts=400, batch_size=64, net_arch=[64, 64], buffer_size=10000,
              log=False, seed=SEED, device="cpu")
before = [p.detach().clone() for p in agent.policy.parameters()]
agent.train(total_timesteps=STEPS, eval_env=eval_env, ref_point=np.zeros(len(OBJ)))
train_s = time.time() - t0
weights = equally_spaced_weights(len(OBJ), n=N_W)
front = np.array([policy_evaluation_mo(agent, eval_env, w, rep=1)[2] for w in weights])
check("front: %d weights x %d objectives" % (N_W, len(OBJ)), front.shape == (N_W, len(OBJ)),
      front.shape)
check("front finite", np.isfinite(front).all(), front)
moved = [not torch.equal(b, p.detach()) for b, p in zip(before, agent.policy.parameters())]
check("the policy's weights moved", all(moved), moved)

# ---- CAPQL's replay buffer, replayed in a fresh rsoup env of the same seed
buf = agent.replay_buffer.buffer
check("one transition per step in the buffer", len(buf) == STEPS, len(buf))
fresh = rsoup.make(ENV, objectives=OBJ, seed=SEED)
obs, _ = fresh.reset()
bad_obs = bad_rew = bad_next = bad_done = episodes = 0
for state, action, _, reward, next_state, done in buf:
    bad_obs += not np.array_equal(state, obs)
    obs, rew, term, trunc, _ = fresh.step(action)
    bad_rew += not (rew.dtype == reward.dtype and np.array_equal(rew, reward))
    bad_next += not np.array_equal(next_state, obs)
    bad_done += bool(done) != term
    if term or trunc:
        episodes += 1
        obs, _ = fresh.reset()
check("buffer observations = rsoup's for its actions, bit for bit", bad_obs == 0, bad_obs)
check("buffer reward vectors = rsoup's, bit for bit", bad_rew == 0, bad_rew)
check("buffer next observations and terminations = rsoup's", bad_next == 0 and bad_done == 0,
      (bad_next, bad_done))
check("episodes ended and restarted during training", episodes >= 5, episodes)

# ---- the front's returns, from the reward terms
W = np.stack([rsoup.envs.reward_weights(ENV, o) for o in OBJ])  # [n_obj, n_terms]
replay = rsoup.make(ENV, objectives=OBJ, seed=EVAL_SEED, info_terms=True)
for k, w in enumerate(weights):
    obs, _ = replay.reset()
    ret, terms, done = np.zeros_like(w), 0.0, False
    while not done:
        obs, r, term, trunc, info = replay.step(agent.eval(obs, w))
        ret += r  # as MORL-Baselines sums an episode's vector rewards
        terms = terms + info["terms"]
        done = term or trunc
    check("front point %d = its episode's rewards, replayed" % k, np.array_equal(ret, front[k]),
          (ret, front[k]))
    check("front point %d = objectives' weights . summed terms" % k,
          np.allclose(W @ terms, front[k], rtol=1e-5, atol=1e-3), (W @ terms, front[k]))
for e in (env, eval_env, fresh, replay):
    e.close()
print("py_morl: CAPQL %d steps in %.1f s, front %s; %d passed, %d failed"
      % (STEPS, train_s, np.round(front, 2).tolist(), passed, failed))
sys.exit(1 if failed else 0)

"""rsoup.envs — rsoup's six MuJoCo robots as Gymnasium 1.x envs, stepped in C.

    import rsoup
    envs = rsoup.make_vec("hopper", 16, reward="risky", seed=1)         # VectorEnv
    obs, info = envs.reset()
    obs, rew, term, trunc, info = envs.step(actions)                    # rew: [16]
    envs = rsoup.make_vec("hopper", 16, objectives=["risky", "cautious"])  # rew: [16, 2]
    env = rsoup.make("hopper", reward="forward=1,ctrl=-0.001")          # one Env
    import gymnasium as gym
    env = gym.make("rsoup.envs:rsoup/Hopper-v0")                        # registered ids

Rewards are what `rsoup envs` lists: a preset ("default", "risky", ...), a
term list ("forward=1,ctrl=-0.001,healthy=1") or a mix of presets
("0.3*risky+0.7*cautious"). With objectives=[spec, ...] the reward is a
vector, one value per spec, and the env has MO-Gymnasium's `reward_space`
(a Box of shape [n_obj]) and `reward_dim`.

VectorEnv: librsoup steps the envs on its threads straight into numpy
arrays that the env owns and returns WITHOUT copying: the arrays a step
returns are overwritten by the next step or reset (copy=True copies them).
Autoreset is Gymnasium's default, AutoresetMode.NEXT_STEP: the step that
ends an episode returns its last observation, reward and flags; the next
step ignores that env's action, resets it and returns its first
observation with reward 0 and terminated = truncated = False. Env i draws
its reset noise from stream i of the seed, so a trajectory depends on the
seed and i only (not on threads) and is the one `rsoup`'s own vector env
makes with that seed. Episodes are truncated at 1000 steps by the env
itself (no TimeLimit wrapper is needed).
"""

import ctypes

import gymnasium as gym
import numpy as np
from gymnasium import spaces
from gymnasium.vector import AutoresetMode
from gymnasium.vector.utils import batch_space

from . import RsoupError, _lib

__all__ = ["Env", "VectorEnv", "env_names", "env_info", "reward_weights", "register", "ENV_IDS"]


def env_names():
    """the robots, as `rsoup envs` lists them"""
    so = _lib.lib()
    return [so.rsoup_env_name(i).decode() for i in range(so.rsoup_env_count())]


def env_info(env):
    """dict(obs_dim, act_dim, act_bound, max_steps, terms, presets) of a robot"""
    so = _lib.lib()
    name = env.encode()
    v = [ctypes.c_int(), ctypes.c_int(), ctypes.c_int(), ctypes.c_double(), ctypes.c_int()]
    if so.rsoup_env_info(name, *[ctypes.addressof(x) for x in v]) != 0:
        raise RsoupError(_lib.error())

    def listing(fn):
        out, k = [], 0
        while True:
            s = fn(name, k)
            if s is None:
                return out
            out.append(s.decode())
            k += 1

    return {"obs_dim": v[0].value, "act_dim": v[1].value, "act_bound": v[3].value,
            "max_steps": v[4].value, "terms": listing(so.rsoup_env_term),
            "presets": listing(so.rsoup_env_preset)}


def reward_weights(env, reward):
    """a reward spec's weights over env_info(env)["terms"], as rsoup reads
    it (float64 array; costs are positive weights on negative terms)"""
    info = env_info(env)
    w = np.zeros(len(info["terms"]), dtype=np.float64)
    if _lib.lib().rsoup_reward_weights(env.encode(), str(reward).encode(), _lib.ptr(w)) != 0:
        raise RsoupError(_lib.error())
    return w


def _specs(env, reward, objectives):
    if objectives is not None:
        if isinstance(objectives, str):
            raise TypeError("objectives is a list of reward specs, e.g. ['risky', 'cautious']")
        specs = [str(s) for s in objectives]
        if not specs:
            raise RsoupError("objectives: give at least one reward spec")
        return specs, True
    return [str(reward)], False


class _Core:
    """one rsoup_vec and the arrays it writes into"""

    def __init__(self, env, num_envs, specs, seed, threads):
        self.h = None  # first: close() runs on an object whose __init__ raised
        so = self.so = _lib.lib()
        info = env_info(env)
        self.info = info
        self.n, self.n_obj = int(num_envs), len(specs)
        arr, keep = _lib.cstrings(specs)
        seed = 0 if seed is None else int(seed)
        h = so.rsoup_vec_new(env.encode(), self.n, arr, self.n_obj, seed & (2 ** 64 - 1),
                             int(threads))
        if not h:
            raise RsoupError(_lib.error())
        self.h = h
        n = self.n
        self.obs = np.zeros((n, info["obs_dim"]), dtype=np.float32)
        self.reward = np.zeros((n, self.n_obj), dtype=np.float32)
        self.terminated = np.zeros(n, dtype=np.uint8)
        self.truncated = np.zeros(n, dtype=np.uint8)
        self.terms = np.zeros((n, len(info["terms"])), dtype=np.float64)
        if so.rsoup_vec_bind(h, *[_lib.ptr(a) for a in (self.obs, self.reward, self.terminated,
                                                         self.truncated, self.terms)]) != 0:
            raise RsoupError(_lib.error())
        # the bool views Gymnasium expects: the same memory as the C flags
        self.term_b = self.terminated.view(np.bool_)
        self.trunc_b = self.truncated.view(np.bool_)
        self.act_shape = (n, info["act_dim"])

    def live(self, what):
        if not self.h:
            raise RsoupError("%s on a closed env" % what)

    def seed(self, seed):
        self.live("reset(seed=...)")
        if self.so.rsoup_vec_seed(self.h, int(seed) & (2 ** 64 - 1)) != 0:
            raise RsoupError(_lib.error())

    def reset(self):
        self.live("reset()")
        if self.so.rsoup_vec_reset(self.h) != 0:
            raise RsoupError(_lib.error())

    def step(self, actions, shape=None):
        """actions: shape (num_envs, act_dim), or `shape` when given (the
        single Env's (act_dim,)); any real float or integer dtype and any
        memory layout (cast and copied to C-contiguous float32 when they
        are not); anything else is an RsoupError naming what was expected"""
        self.live("step()")
        a = actions
        if not (type(a) is np.ndarray and a.dtype == np.float32 and a.shape == self.act_shape
                and a.flags.c_contiguous and shape is None):  # else checked, then cast
            a = self.actions(a, self.act_shape if shape is None else shape)
        if self.so.rsoup_vec_step(self.h, _lib.ptr(a)) != 0:
            raise RsoupError(_lib.error())

    def actions(self, actions, want):
        a = np.asarray(actions)
        if a.dtype.kind not in "fiu":
            raise RsoupError("actions: a real array (float32, or a float or integer dtype, "
                             "cast to float32) expected, got dtype %s" % a.dtype)
        if a.shape != want:
            raise RsoupError("actions: shape %s expected, got %s" % (want, a.shape))
        return np.ascontiguousarray(a.reshape(self.act_shape), dtype=np.float32)

    def resetting(self):
        return np.array([self.so.rsoup_vec_resetting(self.h, i) for i in range(self.n)],
                        dtype=bool)

    def close(self):
        if self.h:
            self.so.rsoup_vec_free(self.h)
            self.h = None

    __del__ = close


def _spaces(info, n_obj, multi):
    b = np.float32(info["act_bound"])
    obs = spaces.Box(-np.inf, np.inf, (info["obs_dim"],), np.float32)
    act = spaces.Box(-b, b, (info["act_dim"],), np.float32)
    rew = spaces.Box(-np.inf, np.inf, (n_obj,), np.float32) if multi else None
    return obs, act, rew


class VectorEnv(gym.vector.VectorEnv):
    """num_envs copies of an rsoup robot stepped together by librsoup.

    env          a robot of `rsoup envs`: hopper, halfcheetah, walker2d, ant,
                 humanoid, swimmer
    reward       one reward spec (default "default"): rewards are [num_envs]
    objectives   reward specs [spec, ...] instead: rewards are [num_envs, n_obj]
                 and reward_space / reward_dim say so (MO-Gymnasium)
    seed         the seed of the envs' streams (reset(seed=...) changes it)
    threads      librsoup's threads (0: one per core, at most num_envs)
    copy         False (default): step and reset return the env's own arrays,
                 overwritten by the next call; True: copies
    info_terms   True: info["terms"] holds every reward term of the step,
                 [num_envs, n_terms] (names in term_names); also self.terms

    metadata["autoreset_mode"] is AutoresetMode.NEXT_STEP (see the module)."""

    metadata = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": []}

    def __init__(self, env, num_envs=1, reward="default", objectives=None, seed=None,
                 threads=0, copy=False, info_terms=False):
        specs, multi = _specs(env, reward, objectives)
        self._core = _Core(env, num_envs, specs, seed, threads)
        c = self._core
        self.num_envs = c.n
        self.env_name, self.reward_specs = env, specs
        self.term_names = list(c.info["terms"])
        self.single_observation_space, self.single_action_space, rs = _spaces(c.info, c.n_obj,
                                                                               multi)
        self.observation_space = batch_space(self.single_observation_space, c.n)
        self.action_space = batch_space(self.single_action_space, c.n)
        if multi:
            self.reward_space = self.single_reward_space = rs
            self.reward_dim = c.n_obj
        self._multi, self._copy, self._info_terms = multi, bool(copy), bool(info_terms)
        self._rew = c.reward if multi else c.reward.reshape(c.n)
        self.terms = c.terms
        self._reset_once = False

    def _out(self, a):
        return a.copy() if self._copy else a

    def _info(self):
        return {"terms": self._out(self.terms)} if self._info_terms else {}

    def reset(self, *, seed=None, options=None):
        if options:
            raise ValueError("rsoup envs take no reset options (autoreset is next-step; "
                             "got %r)" % (options,))
        if seed is not None:
            if not isinstance(seed, (int, np.integer)):
                raise ValueError("seed: one int (env i takes stream i of it), got %r" % (seed,))
            super().reset(seed=int(seed))
            self._core.seed(seed)
        self._core.reset()
        self._reset_once = True
        return self._out(self._core.obs), self._info()

    def step(self, actions):
        if not self._reset_once:
            raise gym.error.ResetNeeded("call reset() before step()")
        self._core.step(actions)
        c = self._core
        return (self._out(c.obs), self._out(self._rew), self._out(c.term_b),
                self._out(c.trunc_b), self._info())

    def resetting(self):
        """bool [num_envs]: the envs the next step resets (their episode ended)"""
        return self._core.resetting()

    def close_extras(self, **kwargs):
        self._core.close()


class Env(gym.Env):
    """One rsoup robot as a gymnasium Env (librsoup underneath): the same
    arguments as VectorEnv, for one env. step returns copies; the reward is
    a float, or float32 [n_obj] with objectives. Episodes end by termination
    or by the 1000-step time limit (truncated); call reset() after either."""

    metadata = {"render_modes": []}

    def __init__(self, env="hopper", reward="default", objectives=None, seed=None,
                 info_terms=False, render_mode=None):
        if render_mode is not None:
            raise ValueError("rsoup envs do not render from Python yet (rsoup view does)")
        specs, multi = _specs(env, reward, objectives)
        self._core = _Core(env, 1, specs, seed, 1)
        c = self._core
        self.env_name, self.reward_specs = env, specs
        self.term_names = list(c.info["terms"])
        self.observation_space, self.action_space, rs = _spaces(c.info, c.n_obj, multi)
        if multi:
            self.reward_space = rs
            self.reward_dim = c.n_obj
        self._multi, self._info_terms = multi, bool(info_terms)
        self._done = None  # None: not reset yet

    def _info(self):
        return {"terms": self._core.terms[0].copy()} if self._info_terms else {}

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        if seed is not None:
            self._core.seed(seed)
        self._core.reset()
        self._done = False
        return self._core.obs[0].copy(), self._info()

    def step(self, action):
        if self._done is None or self._done:
            raise gym.error.ResetNeeded("call reset() %s" % (
                "before step()" if self._done is None else "after the episode ended"))
        c = self._core
        c.step(action, (c.act_shape[1],))
        term, trunc = bool(c.terminated[0]), bool(c.truncated[0])
        self._done = term or trunc
        r = c.reward[0].copy() if self._multi else float(c.reward[0, 0])
        return c.obs[0].copy(), r, term, trunc, self._info()

    def close(self):
        self._core.close()


def _id_name(env):
    return {"halfcheetah": "HalfCheetah", "walker2d": "Walker2d"}.get(env, env.capitalize())


ENV_IDS = {}


def register():
    """register rsoup/<Robot>-v0 (rsoup/Hopper-v0, rsoup/HalfCheetah-v0, ...)
    with gymnasium: gym.make and gym.make_vec (vectorization_mode
    "vector_entry_point" is librsoup's VectorEnv). Done on import."""
    for env in ("hopper", "halfcheetah", "walker2d", "ant", "humanoid", "swimmer"):
        gid = "rsoup/%s-v0" % _id_name(env)
        ENV_IDS[gid] = env
        if gid not in gym.registry:
            gym.register(id=gid, entry_point="rsoup.envs:Env",
                         vector_entry_point="rsoup.envs:VectorEnv", kwargs={"env": env},
                         disable_env_checker=False)


register()

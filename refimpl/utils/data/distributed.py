"""DistributedSampler: each of num_replicas processes takes every num_replicas-th index.

refimpl has no process group, so num_replicas and rank must be given (torch reads them from
torch.distributed when omitted). With shuffle=True an epoch's order is
`randperm(n, generator=Generator().manual_seed(seed + epoch))`, as in torch, so every replica
agrees on it; set_epoch changes it. Without drop_last the index list is padded by repeating
its start to a multiple of num_replicas; with drop_last it is cut.
"""

import math

from ..._random.generator import Generator
from ..._refs.random_ops import randperm
from .sampler import Sampler


class DistributedSampler(Sampler):
    def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0,
                 drop_last=False):
        if num_replicas is None or rank is None:
            raise RuntimeError("Default process group has not been initialized, please make "
                               "sure to call init_process_group.")
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval [0, "
                             f"{num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self):
        n = len(self.dataset)
        if self.shuffle:
            g = Generator().manual_seed(self.seed + self.epoch)
            indices = randperm(n, generator=g).tolist()
        else:
            indices = list(range(n))
        if self.drop_last:
            indices = indices[:self.total_size]
        else:
            padding = self.total_size - len(indices)
            indices += (indices * math.ceil(padding / len(indices)))[:padding] if padding \
                else []
        return iter(indices[self.rank:self.total_size:self.num_replicas])

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch):
        """The epoch joins the seed, so each epoch has its own shuffled order."""
        self.epoch = epoch


__all__ = ["DistributedSampler"]

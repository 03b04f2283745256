"""torch.nn.utils.rnn: pad_sequence.

pad_sequence stacks variable-length sequences (each (L_i, *)) into one (L_max, B, *) tensor,
or (B, L_max, *) with batch_first, filling the missing steps with padding_value on the right
(or the left with padding_side='left'); the gradient of each sequence is its part of the
result's gradient. Spec nn.utils.rnn.pad_sequence.

Not yet here: PackedSequence, pack_padded_sequence, pad_packed_sequence, pack_sequence.
"""

__all__ = ["pad_sequence"]


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Pad a list of (L_i, *) tensors to the longest length and stack them along a new batch
    dim (dim 1, or 0 with batch_first). The trailing dims must agree (RuntimeError as torch's
    size mismatch), the list must not be empty, padding_side is 'left' or 'right'."""
    from ..._refs.joining import stack
    from ..._refs.nnlayers import constant_pad_nd
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got "
                           f"{padding_side}.")
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    longest = max(s.shape[0] for s in sequences)
    trailing = sequences[0].shape[1:]
    padded = []
    for s in sequences:
        if s.shape[1:] != trailing:
            for i, (a, b) in enumerate(zip(trailing, s.shape[1:])):
                if a != b:
                    raise RuntimeError(f"The size of tensor a ({a}) must match the size of "
                                       f"tensor b ({b}) at non-singleton dimension {i + 1}")
            raise RuntimeError("pad_sequence: sequences have different numbers of dims")
        missing = longest - s.shape[0]
        # constant_pad_nd lists (low, high) pairs from the last dim; dim 0's pair is last
        pair = [missing, 0] if padding_side == "left" else [0, missing]
        padded.append(constant_pad_nd(s, [0, 0] * (s.dim() - 1) + pair, padding_value))
    return stack(padded, 0 if batch_first else 1)

"""The code examples of the torch.utils.data documents (001's Dataset and IterableDataset,
004's loops, custom batch and pinning): each runs on torch and on the backend and what it
prints must agree."""

from conformance import spec

from .test_examples import EXAMPLES, _run_example


def run(check, clause):
    code = EXAMPLES[clause].code
    check(lambda T, d: _run_example(T, code))


@spec("utils.data.example.map-dataset")
def test_example_map_dataset(check):
    run(check, "utils.data.example.map-dataset")


@spec("utils.data.example.iterable-dataset")
def test_example_iterable_dataset(check):
    run(check, "utils.data.example.iterable-dataset")


@spec("utils.data.example.map-style-loop")
def test_example_map_style_loop(check):
    run(check, "utils.data.example.map-style-loop")


@spec("utils.data.example.iterable-loop")
def test_example_iterable_loop(check):
    run(check, "utils.data.example.iterable-loop")


@spec("utils.data.example.nonbatched-map")
def test_example_nonbatched_map(check):
    run(check, "utils.data.example.nonbatched-map")


@spec("utils.data.example.nonbatched-iterable")
def test_example_nonbatched_iterable(check):
    run(check, "utils.data.example.nonbatched-iterable")


@spec("utils.data.example.custom-pin-memory")
def test_example_custom_pin_memory(check):
    run(check, "utils.data.example.custom-pin-memory")

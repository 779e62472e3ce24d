from hmi.quality import COMM_FAILURE, WAITING, Quality, Sample
from hmi.tags import TagTable


def test_new_tags_are_bad_until_data_arrives():
    table = TagTable(["A"])
    assert table.get("A").quality is Quality.BAD
    assert table.get("A").reason == WAITING


def test_observers_hear_each_change_once_and_repeats_are_not_news():
    table = TagTable(["A", "B"])
    heard = []
    table.subscribe(lambda name, sample: heard.append((name, sample.value)))
    table.update("A", Sample(1.0, Quality.GOOD, 10.0))
    table.update("A", Sample(1.0, Quality.GOOD, 10.0))
    table.update("B", Sample(2.0, Quality.GOOD, 10.0))
    assert heard == [("A", 1.0), ("B", 2.0)]


def test_a_failing_observer_does_not_starve_the_others():
    table = TagTable(["A"])
    heard = []

    def broken(name, sample):
        raise RuntimeError("boom")

    table.subscribe(broken)
    table.subscribe(lambda name, sample: heard.append(name))
    table.update("A", Sample(1, Quality.GOOD, 1.0))
    assert heard == ["A"]


def test_unsubscribe_stops_notifications():
    table = TagTable(["A"])
    heard = []
    stop = table.subscribe(lambda name, sample: heard.append(name))
    stop()
    table.update("A", Sample(1, Quality.GOOD, 1.0))
    assert heard == []


def test_mark_bad_keeps_last_value_for_diagnosis_but_flags_it():
    table = TagTable(["A"])
    table.update("A", Sample(42.0, Quality.GOOD, 1.0))
    heard = []
    table.subscribe(lambda name, sample: heard.append(sample))
    table.mark_bad(["A"], COMM_FAILURE, ts=2.0)
    table.mark_bad(["A"], COMM_FAILURE, ts=3.0)
    assert heard == [Sample(42.0, Quality.BAD, 2.0, COMM_FAILURE)]


def test_quality_from_status_code_severity_bits():
    assert Quality.from_status(0) is Quality.GOOD
    assert Quality.from_status(0x40000000) is Quality.UNCERTAIN
    assert Quality.from_status(0x80050000) is Quality.BAD  # BadCommunicationError

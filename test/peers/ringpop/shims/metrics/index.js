'use strict';

// Local stand-in for the `metrics` npm package (0.1.x), which ringpop@10.21.0
// and tchannel@3.10.1 depend on but which is no longer published. It is wired
// in through `overrides` in ../../package.json.
//
// What ringpop actually uses:
//   - lib/gossip/index.js: `new Histogram()`, `update(ms)`, and
//     `percentiles([0.5])['0.5']` to pace the gossip protocol period;
//     index.js getStats() calls `protocolTiming.printObj()`.
//   - index.js: three `new Meter()`, `mark()` from the protocol handlers,
//     `m1Rate/m5Rate/m15Rate.stop()` in destroy(), `printObj().m1` in getStats().
// tchannel only requires the module (multi_bench / optional stats paths).
//
// Differences from the original, on purpose: the histogram keeps a sliding
// window of the most recent SAMPLE_SIZE values instead of an exponentially
// decaying reservoir (deterministic, same median behaviour for ringpop's
// use), and the moving averages tick lazily when read or marked instead of
// from a setInterval, so no timers keep a process alive (stop() is a no-op
// kept for API compatibility).

var SAMPLE_SIZE = 1028;
var DEFAULT_PERCENTILES = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];

// ---------------------------------------------------------------- Histogram

function Histogram() {
    this.type = 'histogram';
    this.count = 0;
    this.min = null;
    this.max = null;
    this.sum = 0;
    this._window = [];   // ring buffer of the last SAMPLE_SIZE values
    this._next = 0;
    this._mean = 0;      // Welford running mean / sum of squares
    this._m2 = 0;
}

Histogram.prototype.update = function update(value) {
    value = Number(value);
    this.count++;
    this.sum += value;
    if (this.min === null || value < this.min) this.min = value;
    if (this.max === null || value > this.max) this.max = value;
    var delta = value - this._mean;
    this._mean += delta / this.count;
    this._m2 += delta * (value - this._mean);
    if (this._window.length < SAMPLE_SIZE) {
        this._window.push(value);
    } else {
        this._window[this._next] = value;
        this._next = (this._next + 1) % SAMPLE_SIZE;
    }
};

Histogram.prototype.clear = function clear() {
    Histogram.call(this);
};

Histogram.prototype.values = function values() {
    return this._window.slice();
};

// Returns {"<p>": value} for each requested p in [0, 1], interpolating
// between neighbouring sorted samples at rank p * (n + 1) (undefined when
// nothing has been recorded, like the original).
Histogram.prototype.percentiles = function percentiles(ps) {
    ps = ps || DEFAULT_PERCENTILES;
    var sorted = this._window.slice().sort(function (a, b) { return a - b; });
    var n = sorted.length;
    var out = {};
    for (var i = 0; i < ps.length; i++) {
        var rank = ps[i] * (n + 1);
        var v;
        if (rank < 1) {
            v = sorted[0];
        } else if (rank >= n) {
            v = sorted[n - 1];
        } else {
            var lo = Math.floor(rank);
            v = sorted[lo - 1] + (rank - lo) * (sorted[lo] - sorted[lo - 1]);
        }
        out[ps[i]] = v;
    }
    return out;
};

Histogram.prototype.mean = function mean() {
    return this.count === 0 ? null : this._mean;
};

Histogram.prototype.variance = function variance() {
    return this.count < 2 ? null : this._m2 / (this.count - 1);
};

Histogram.prototype.stdDev = function stdDev() {
    var v = this.variance();
    return v === null ? null : Math.sqrt(v);
};

Histogram.prototype.printObj = function printObj() {
    return {
        type: 'histogram',
        min: this.min,
        max: this.max,
        sum: this.sum,
        variance: this.variance(),
        mean: this.mean(),
        std_dev: this.stdDev(),
        count: this.count,
        percentiles: this.percentiles()
    };
};

// ------------------------------------------------------ moving averages

var TICK_MS = 5000;

// Exponentially weighted moving average of a per-second rate over `minutes`,
// updated every TICK_MS like the classic Coda Hale meters, but lazily.
function EWMA(minutes) {
    this.alpha = 1 - Math.exp(-TICK_MS / 1000 / 60 / minutes);
    this._uncounted = 0;
    this._rate = 0;          // events per ms
    this._initialized = false;
    this._lastTick = Date.now();
}

EWMA.prototype._catchUp = function catchUp() {
    var now = Date.now();
    while (now - this._lastTick >= TICK_MS) {
        this.tick();
        this._lastTick += TICK_MS;
    }
};

EWMA.prototype.update = function update(n) {
    this._catchUp();
    this._uncounted += n;
};

EWMA.prototype.tick = function tick() {
    var instant = this._uncounted / TICK_MS;
    this._uncounted = 0;
    if (this._initialized) {
        this._rate += this.alpha * (instant - this._rate);
    } else {
        this._rate = instant;
        this._initialized = true;
    }
};

// Rate in events per second.
EWMA.prototype.rate = function rate() {
    this._catchUp();
    return this._rate * 1000;
};

EWMA.prototype.stop = function stop() {};

// -------------------------------------------------------------------- Meter

function Meter() {
    this.type = 'meter';
    this.count = 0;
    this.startTime = Date.now();
    this.m1Rate = new EWMA(1);
    this.m5Rate = new EWMA(5);
    this.m15Rate = new EWMA(15);
}

Meter.prototype.mark = function mark(n) {
    if (n === undefined || n === null) n = 1;
    this.count += n;
    this.m1Rate.update(n);
    this.m5Rate.update(n);
    this.m15Rate.update(n);
};

Meter.prototype.oneMinuteRate = function () { return this.m1Rate.rate(); };
Meter.prototype.fiveMinuteRate = function () { return this.m5Rate.rate(); };
Meter.prototype.fifteenMinuteRate = function () { return this.m15Rate.rate(); };

Meter.prototype.meanRate = function meanRate() {
    var elapsedMs = Date.now() - this.startTime;
    return elapsedMs > 0 ? this.count / (elapsedMs / 1000) : 0;
};

Meter.prototype.rates = function rates() {
    return {
        1: this.oneMinuteRate(),
        5: this.fiveMinuteRate(),
        15: this.fifteenMinuteRate(),
        mean: this.meanRate()
    };
};

Meter.prototype.printObj = function printObj() {
    return {
        type: 'meter',
        count: this.count,
        m1: this.oneMinuteRate(),
        m5: this.fiveMinuteRate(),
        m15: this.fifteenMinuteRate(),
        mean: this.meanRate(),
        unit: 'seconds'
    };
};

// ------------------------------------------------------------------ Counter

// Not used by ringpop; provided because it is part of the original API.
function Counter() {
    this.type = 'counter';
    this.count = 0;
}
Counter.prototype.inc = function inc(n) { this.count += (n === undefined ? 1 : n); };
Counter.prototype.dec = function dec(n) { this.count -= (n === undefined ? 1 : n); };
Counter.prototype.clear = function clear() { this.count = 0; };
Counter.prototype.printObj = function printObj() { return { type: 'counter', count: this.count }; };

module.exports = {
    Histogram: Histogram,
    Meter: Meter,
    Counter: Counter,
    ExponentiallyWeightedMovingAverage: EWMA,
    DEFAULT_PERCENTILES: DEFAULT_PERCENTILES
};

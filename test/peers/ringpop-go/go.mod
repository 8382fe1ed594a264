module ringside.test/ringpop-go-node

go 1.25

require (
	github.com/dgryski/go-farm v0.0.0-20240924180020-3414d57e47da
	github.com/uber/ringpop-go v0.10.0
	github.com/uber/tchannel-go v1.34.6
)

require (
	github.com/BurntSushi/toml v0.3.1 // indirect
	github.com/benbjohnson/clock v1.3.5 // indirect
	github.com/cactus/go-statsd-client/statsd v0.0.0-20191106001114-12b4e2b38748 // indirect
	github.com/konsorten/go-windows-terminal-sequences v1.0.2 // indirect
	github.com/opentracing/opentracing-go v1.1.0 // indirect
	github.com/rcrowley/go-metrics v0.0.0-20250401214520-65e299d6c5c9 // indirect
	github.com/sirupsen/logrus v1.4.2 // indirect
	github.com/uber-common/bark v1.3.0 // indirect
	go.uber.org/atomic v1.6.0 // indirect
	go.uber.org/multierr v1.3.0 // indirect
	go.uber.org/tools v0.0.0-20190618225709-2cfd321de3ee // indirect
	golang.org/x/lint v0.0.0-20190930215403-16217165b5de // indirect
	golang.org/x/mod v0.6.0-dev.0.20220419223038-86c51ed26bb4 // indirect
	golang.org/x/net v0.14.0 // indirect
	golang.org/x/sys v0.11.0 // indirect
	golang.org/x/tools v0.1.12 // indirect
	honnef.co/go/tools v0.0.1-2019.2.3 // indirect
)

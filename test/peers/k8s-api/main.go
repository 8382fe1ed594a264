// Strict decoding of Kubernetes manifests with Kubernetes' own API types (k8s.io/api): reads a
// YAML stream on stdin (documents separated by ---), decodes each into the type its apiVersion
// and kind name (batch/v1 Job, apps/v1 DaemonSet) with unknown fields refused, and prints one
// JSON line per document with the fields the tests check. Exit 1 with the decoder's error on
// anything that does not decode. A test peer for `ringside ... --emit k8s-job`; no cluster needed.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

type summary struct {
	Kind           string            `json:"kind"`
	Name           string            `json:"name"`
	CompletionMode string            `json:"completionMode,omitempty"`
	Completions    *int32            `json:"completions,omitempty"`
	Parallelism    *int32            `json:"parallelism,omitempty"`
	BackoffLimit   *int32            `json:"backoffLimit,omitempty"`
	NodeName       string            `json:"nodeName,omitempty"`
	HostNetwork    bool              `json:"hostNetwork"`
	Privileged     bool              `json:"privileged"`
	RestartPolicy  string            `json:"restartPolicy"`
	Image          string            `json:"image"`
	Command        []string          `json:"command"`
	Args           []string          `json:"args"`
	Env            map[string]string `json:"env"`
	Labels         map[string]string `json:"labels"`
}

func strict(doc []byte, into interface{}) error {
	js, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	return dec.Decode(into)
}

func pod(s *summary, spec corev1.PodSpec) {
	s.NodeName = spec.NodeName
	s.HostNetwork = spec.HostNetwork
	s.RestartPolicy = string(spec.RestartPolicy)
	if len(spec.Containers) != 1 {
		fail(fmt.Errorf("%s: want one container, got %d", s.Name, len(spec.Containers)))
	}
	c := spec.Containers[0]
	s.Image = c.Image
	s.Command = c.Command
	s.Args = c.Args
	s.Env = map[string]string{}
	for _, e := range c.Env {
		if e.ValueFrom != nil && e.ValueFrom.FieldRef != nil {
			s.Env[e.Name] = "fieldRef:" + e.ValueFrom.FieldRef.FieldPath
		} else {
			s.Env[e.Name] = e.Value
		}
	}
	if c.SecurityContext != nil && c.SecurityContext.Privileged != nil {
		s.Privileged = *c.SecurityContext.Privileged
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func main() {
	in, err := io.ReadAll(bufio.NewReader(os.Stdin))
	if err != nil {
		fail(err)
	}
	out := json.NewEncoder(os.Stdout)
	for _, doc := range strings.Split(string(in), "\n---") {
		if strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(doc), "---")) == "" {
			continue
		}
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
			fail(err)
		}
		var s summary
		switch head.APIVersion + " " + head.Kind {
		case "batch/v1 Job":
			var job batchv1.Job
			if err := strict([]byte(doc), &job); err != nil {
				fail(fmt.Errorf("Job: %w", err))
			}
			s = summary{Kind: "Job", Name: job.Name, Completions: job.Spec.Completions, Parallelism: job.Spec.Parallelism, BackoffLimit: job.Spec.BackoffLimit, Labels: job.Labels}
			if job.Spec.CompletionMode != nil {
				s.CompletionMode = string(*job.Spec.CompletionMode)
			}
			pod(&s, job.Spec.Template.Spec)
		case "apps/v1 DaemonSet":
			var ds appsv1.DaemonSet
			if err := strict([]byte(doc), &ds); err != nil {
				fail(fmt.Errorf("DaemonSet: %w", err))
			}
			s = summary{Kind: "DaemonSet", Name: ds.Name, Labels: ds.Labels}
			pod(&s, ds.Spec.Template.Spec)
		default:
			fail(fmt.Errorf("unexpected apiVersion/kind %q %q", head.APIVersion, head.Kind))
		}
		if err := out.Encode(s); err != nil {
			fail(err)
		}
	}
}

package main

import (
	"os"
	"strings"

	"github.com/spf13/cobra"
	yaml "gopkg.in/yaml.v3"
	"k8s.io/client-go/v2/kubernetes"
)

// version is set by the linker.
var version = "dev"

var rootCmd = newRootCmd()

// config mirrors the YAML file.
type config struct {
	Name    string
	Verbose bool
	Server  struct {
		Host string
		Port int
	}
	Plugins []struct {
		Path string
	}
}

type options struct {
	cfgFile string
	config
}

/*
newRootCmd builds the root command.
It has no flags yet.
*/
func newRootCmd() *cobra.Command {
	opts := &options{}
	cmd := &cobra.Command{
		Use:   "tool",
		Short: "A tool",
		RunE: func(c *cobra.Command, args []string) error {
			return opts.run(c, args)
		},
	}
	cmd.Flags().StringVarP(&opts.cfgFile, "config", "c", "", "config file")
	return cmd
}

func (o *options) run(cmd *cobra.Command, args []string) error {
	data, err := os.ReadFile(o.cfgFile)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(data, &o.config); err != nil {
		return err
	}
	name := strings.TrimSpace(string(data))
	cmd.Println(name, len(args), []byte(name))
	return nil
}

func main() {
	if err := rootCmd.Execute(); err != nil {
		os.Exit(1)
	}
}

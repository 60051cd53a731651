package util

type Client struct{}

func (c *Client) Get() {}

func New() *Client { return &Client{} }

var Default = New()

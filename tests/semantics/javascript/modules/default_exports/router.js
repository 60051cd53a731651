function handle() {}

export default handle;
